"""Staff accounts: who holds which role (granted by one administrator, approved by another), enrolment
codes for a first authenticator, resetting a sign-in, and ending a user's sessions."""

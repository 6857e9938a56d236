"""API endpoints: thin views over the services, every record through the access gate."""

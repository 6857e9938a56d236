"""Assessments: versioned instruments and the assessments made with them."""

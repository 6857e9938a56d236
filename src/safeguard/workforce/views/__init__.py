"""Workforce pages, one module a page: training and competence, caseloads, allocation, the monthly pack;
``workforce.urls`` is their URL table."""

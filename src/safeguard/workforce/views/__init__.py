"""Workforce pages: training and competence, caseloads, allocation, the monthly pack.

Each module keeps its own ``urlpatterns``; ``workforce.urls`` joins them.
"""

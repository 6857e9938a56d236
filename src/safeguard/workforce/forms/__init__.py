"""Workforce forms, one module per part (training, caseloads, allocation, pack)."""

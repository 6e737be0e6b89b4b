"""huiqi (惠企助手): answers, checklists and triage for enterprises, offline, with citations."""

__version__ = "0.1.0"

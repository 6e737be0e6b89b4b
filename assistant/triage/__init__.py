"""Appeal triage (涉企诉求分派): route appeals to departments, type them, set deadlines, report common issues."""

from assistant.triage.catalogue import Catalogue, Department, load_catalogue
from assistant.triage.classifier import DepartmentCandidate, DepartmentClassifier, FusionWeights
from assistant.triage.deadline import SLA, add_working_days, load_holidays
from assistant.triage.learned import HistoryModel, LabelledAppeal
from assistant.triage.triager import Appeal, Triager, TriageResult

__all__ = [
    "SLA", "Appeal", "Catalogue", "Department", "DepartmentCandidate", "DepartmentClassifier", "FusionWeights",
    "HistoryModel", "LabelledAppeal", "TriageResult", "Triager", "add_working_days", "load_catalogue",
    "load_holidays",
]

"""Application checklists (办事清单) from service guides (办事指南), merged across matters (一件事一次办)."""

from assistant.checklist.checklist import Checklist, Clarification, MatterItem, MergedMaterial
from assistant.checklist.guide import Material, ServiceGuide
from assistant.checklist.loading import FieldMapping, load_guides
from assistant.checklist.service import ChecklistService, create_checklist_service

__all__ = [
    "Checklist",
    "ChecklistService",
    "Clarification",
    "FieldMapping",
    "Material",
    "MatterItem",
    "MergedMaterial",
    "ServiceGuide",
    "create_checklist_service",
    "load_guides",
]

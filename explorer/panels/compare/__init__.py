"""The Compare tab, in parts: one map per model (:mod:`.map`) and the panel (:mod:`.panel`)."""

from explorer.compare_models import CompareEntry
from explorer.panels.compare.map import CompareMap
from explorer.panels.compare.panel import MAX_MAPS, ComparePanel

__all__ = ["MAX_MAPS", "CompareEntry", "CompareMap", "ComparePanel"]

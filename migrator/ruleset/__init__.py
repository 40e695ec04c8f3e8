"""The mapping table: models, loader and the indexed `RuleSet`."""

from migrator.ruleset.loader import RulesError, default_rules_dir, load_rules
from migrator.ruleset.ruleset import EndpointMatch, RuleSet

__all__ = ["EndpointMatch", "RuleSet", "RulesError", "default_rules_dir", "load_rules"]

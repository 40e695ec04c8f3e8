"""Terraform modules: a folder's `.tf` files are one configuration. The
provider a module declares in one of them (`versions.tf`) decides for all
whether `segment_*` arguments are Config fields, and a provider built on the
Config API is itself reported, wherever it is named (lock file too)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from migrator.audit.run import audit_paths
from migrator.ruleset import load_rules

RULES = load_rules()
PROVIDER = "audit.config-terraform-provider"

VERSIONS = """\
terraform {
  required_providers {
    segment = {
      source  = "%s"
      version = "0.2.0"
    }
  }
}
"""
MAIN = """\
data "http" "sources" {
  url = "https://platform.segmentapis.com/v1beta/workspaces/acme/sources"
}
resource "segment_source" "web" {
  source_name  = "web"
  catalog_name = "catalog/sources/javascript"
}
"""
LOCK = """\
# This file is maintained automatically by "terraform init".
provider "registry.terraform.io/%s" {
  version = "0.2.0"
}
"""


def findings(root: Path) -> list[tuple[str, int, int, str, str]]:
    report = audit_paths([root], RULES, jobs=1, precise=False)
    return [(Path(f.path).relative_to(root).as_posix(), f.line, f.column, f.rule, f.text) for f in report.findings]


CONFIG_CALLS = [
    ("main.tf", 2, 10, "host.base-url", "https://platform.segmentapis.com/v1beta"),
    ("main.tf", 2, 49, "endpoint.sources.list", "/workspaces/acme/sources"),
]


@pytest.mark.parametrize("versions", ["versions.tf", "versions.tf.json"])
def test_a_config_provider_declared_in_another_file_of_the_module(tmp_path: Path, versions: str) -> None:
    if versions.endswith(".json"):
        declared = {"terraform": {"required_providers": {"segment": {"source": "ajbosco/segment"}}}}
        (tmp_path / versions).write_text(json.dumps(declared, indent=2) + "\n")
        where = (5, 20, PROVIDER, "ajbosco/segment")
    else:
        (tmp_path / versions).write_text(VERSIONS % "ajbosco/segment")
        where = (4, 18, PROVIDER, "ajbosco/segment")
    (tmp_path / "main.tf").write_text(MAIN)
    assert findings(tmp_path) == [
        *CONFIG_CALLS,
        ("main.tf", 5, 3, "source-connection.fields", "source_name"),
        ("main.tf", 6, 3, "source.fields", "catalog_name"),
        (versions, *where),
    ]


def test_the_official_provider_declared_in_another_file_gives_no_config_fields(tmp_path: Path) -> None:
    (tmp_path / "versions.tf").write_text(VERSIONS % "segmentio/segment")
    (tmp_path / "main.tf").write_text(MAIN)
    (tmp_path / ".terraform.lock.hcl").write_text(LOCK % "segmentio/segment")
    assert findings(tmp_path) == CONFIG_CALLS


def test_a_module_in_another_folder_does_not_decide(tmp_path: Path) -> None:
    """Only the files of the same folder are one module."""
    (tmp_path / "modules").mkdir()
    (tmp_path / "modules" / "versions.tf").write_text(VERSIONS % "ajbosco/segment")
    (tmp_path / "main.tf").write_text(MAIN)
    assert findings(tmp_path) == [*CONFIG_CALLS, ("modules/versions.tf", 4, 18, PROVIDER, "ajbosco/segment")]


def test_the_config_provider_is_reported_without_other_config_usage(tmp_path: Path) -> None:
    """A module on the Config provider calls the Config API on every plan,
    with no host or path in its files; the lock file records it too. The
    providers `terraform init` copies (`.terraform/`) are not the project's."""
    (tmp_path / "versions.tf").write_text(VERSIONS % "ajbosco/segment")
    (tmp_path / "main.tf").write_text('resource "segment_source" "web" {\n  source_name = "web"\n}\n')
    (tmp_path / ".terraform.lock.hcl").write_text(LOCK % "ajbosco/segment")
    copies = tmp_path / ".terraform" / "providers" / "registry.terraform.io" / "ajbosco"
    copies.mkdir(parents=True)
    (copies / "lock.hcl").write_text(LOCK % "ajbosco/segment")
    # the Go client the provider is built on, as a Go module requires it: no Terraform
    (tmp_path / "go.mod").write_text("module x\n\nrequire github.com/ajbosco/segment-config-go v0.2.0\n")
    assert findings(tmp_path) == [
        (".terraform.lock.hcl", 2, 11, PROVIDER, "registry.terraform.io/ajbosco/segment"),
        ("versions.tf", 4, 18, PROVIDER, "ajbosco/segment"),
    ]

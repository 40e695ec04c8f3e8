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
        ("main.tf", 5, 3, "audit.config-field", "source_name"),  # the provider's: not a tracking plan's connection's
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
    with no host or path in its files; the lock file records it too, and it
    is the API context of the module's `segment_*` blocks, also in a file
    of its own (`main.tf`). The providers `terraform init` copies
    (`.terraform/`) are not the project's."""
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
        ("main.tf", 2, 3, "audit.config-field", "source_name"),
        ("versions.tf", 4, 18, PROVIDER, "ajbosco/segment"),
    ]


ON_THE_PROVIDER = (VERSIONS % "ajbosco/segment") + """resource "segment_source" "web" {
  source_name  = "web"
  catalog_name = "catalog/sources/javascript"
}
resource "google_service_account" "sa" {
  display_name = "x"
}
"""


def test_the_config_provider_is_the_api_context_of_its_blocks(tmp_path: Path) -> None:
    """With no Config URL in the module, the provider's `segment_*` blocks
    are reported all the same (the file declaring it, or one of its
    module); another provider's arguments stay its own."""
    (tmp_path / "one").mkdir()
    (tmp_path / "one" / "main.tf").write_text(ON_THE_PROVIDER)
    (tmp_path / "two").mkdir()
    (tmp_path / "two" / "versions.tf").write_text(VERSIONS % "ajbosco/segment")
    (tmp_path / "two" / "main.tf").write_text(ON_THE_PROVIDER.split("}\n}\n", 1)[1])
    assert findings(tmp_path) == [
        ("one/main.tf", 4, 18, PROVIDER, "ajbosco/segment"),
        ("one/main.tf", 10, 3, "audit.config-field", "source_name"),
        ("one/main.tf", 11, 3, "source.fields", "catalog_name"),
        ("two/main.tf", 2, 3, "audit.config-field", "source_name"),
        ("two/main.tf", 3, 3, "source.fields", "catalog_name"),
        ("two/versions.tf", 4, 18, PROVIDER, "ajbosco/segment"),
    ]


def test_a_suppressed_config_provider_gives_its_file_no_api_context(tmp_path: Path) -> None:
    """As a suppressed Config host: the provider declared only on a line a
    comment covers makes no finding of the file's blocks."""
    source = ON_THE_PROVIDER.replace('"ajbosco/segment"', '"ajbosco/segment"  # migrator: ignore')
    (tmp_path / "main.tf").write_text(source)
    assert findings(tmp_path) == []


BLOCKS = """\
data "http" "s" { url = "https://platform.segmentapis.com/v1beta/workspaces/acme/sources" }
resource "segment_source" "web" {
  source_name  = "web"
  catalog_name = "catalog/sources/javascript"
}
resource "segment_destination" "ga" {
  source_name      = segment_source.web.source_name
  destination_name = "google-analytics"
  connection_mode  = "CLOUD"
}
resource "segment_tracking_plan" "tp" {
  display_name = "Web"
  source_names = [segment_source.web[0].source_name]
}
data "segment_workspace" "acme" {
  display_name = "Acme"
}
"""
OF_THE_PROVIDER = "rewrite it for the official provider (rule audit.config-terraform-provider)"


def test_the_arguments_of_a_config_providers_block_are_its_resources_or_the_providers(tmp_path: Path) -> None:
    """A `segment_*` block's type says which resource the provider manages
    (the rules' `terraform_resources`): its arguments are reported under that
    resource's row; one the row does not have is the provider's schema
    (`source_name` of a `segment_source` names that source), not the field
    of another resource that has one of that name (a tracking plan's source
    connection). A reference to a resource's attribute
    (`segment_source.web.source_name`) names the configuration's own."""
    (tmp_path / "versions.tf").write_text(VERSIONS % "ajbosco/segment")
    (tmp_path / "main.tf").write_text(BLOCKS)
    report = audit_paths([tmp_path], RULES, jobs=1, precise=False)
    assert [(f.path.rsplit("/", 1)[-1], f.line, f.column, f.rule, f.text, f.message) for f in report.findings
            if f.kind == "field"] == [
        ("main.tf", 3, 3, "audit.config-field", "source_name",
         "`source_name` is an argument of the Config provider's `segment_source`, not a Config field of a source: "
         + OF_THE_PROVIDER),
        ("main.tf", 4, 3, "source.fields", "catalog_name",
         "Config field `catalog_name` is `metadata.slug` in the Public API"),
        ("main.tf", 7, 3, "audit.config-field", "source_name",
         "`source_name` is an argument of the Config provider's `segment_destination`, not a Config field of a "
         "destination: " + OF_THE_PROVIDER),
        ("main.tf", 9, 3, "destination.fields", "connection_mode",
         "Config field `connection_mode` has no Public API counterpart (the Public API does not let you choose "
         "cloud or device mode; check the destination's mode in the Segment app)"),
        ("main.tf", 12, 3, "tracking-plan.fields", "display_name",
         "Config field `display_name` of a tracking plan is `name` in the Public API"),
        # a type the rules do not name: no resource to tell it of
        ("main.tf", 16, 3, "audit.config-field", "display_name",
         "`display_name` is an argument of the Config provider's `segment_workspace`: " + OF_THE_PROVIDER),
    ]


BOTH = """\
terraform {
  required_providers {
    %s = {
      source = "ajbosco/segment"
    }
    %s = {
      source = "segmentio/segment"
    }
  }
}
"""
OLD = """\
resource "segment_source" "ios" {
  %s
  source_name  = "ios"
  catalog_name = "catalog/sources/ios"
}
"""
NEW = """\
resource "segment_source" "web" {
  %s
  slug = "web"
  name = "Web"
}

resource "segment_function" "f" {
  %s
  display_name  = "My fn"
  resource_type = "SOURCE"
}
"""


@pytest.mark.parametrize(("config", "official", "quote"), [
    ("legacy", "segment", ""), ("segment", "official", ""), ("legacy", "segment", '"'), ("segment", "official", '"'),
])
def test_a_block_is_of_the_provider_its_provider_argument_names(
    tmp_path: Path, config: str, official: str, quote: str,
) -> None:
    """A module moving resource by resource declares both providers, one
    under another local name: each `segment_*` block is of the provider its
    `provider =` names (`segment` when it names none; quoted, as Terraform 0.11 wrote it, too)."""
    (tmp_path / "versions.tf").write_text(BOTH % (config, official))
    choose = {"segment": "", config: f"provider = {quote}{config}{quote}",
              official: f"provider = {quote}{official}.eu{quote}"}
    (tmp_path / "old.tf").write_text(OLD % choose[config])
    (tmp_path / "new.tf").write_text(NEW % (choose[official], choose[official]))
    assert findings(tmp_path) == [
        ("old.tf", 3, 3, "audit.config-field", "source_name"),
        ("old.tf", 4, 3, "source.fields", "catalog_name"),
        ("versions.tf", 4, 17, PROVIDER, "ajbosco/segment"),
    ]


def test_the_provider_argument_of_a_block_in_the_json_syntax(tmp_path: Path) -> None:
    declared = {"terraform": {"required_providers": {
        "segment": {"source": "segmentio/segment"}, "legacy": {"source": "ajbosco/segment"}}}}
    (tmp_path / "versions.tf.json").write_text(json.dumps(declared, indent=2) + "\n")
    blocks = {"resource": {
        "segment_source": {"ios": {"provider": "legacy", "catalog_name": "catalog/sources/ios"}},
        "segment_function": {"f": {"display_name": "My fn"}},
    }}
    (tmp_path / "main.tf.json").write_text(json.dumps(blocks, indent=2) + "\n")
    assert findings(tmp_path) == [
        ("main.tf.json", 6, 10, "source.fields", "catalog_name"),
        ("versions.tf.json", 8, 20, PROVIDER, "ajbosco/segment"),
    ]

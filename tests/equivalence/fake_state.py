"""The in-memory Segment workspace behind both faces of the fake.

One canonical model: each face (`fake_config`, `fake_public`) renders it in
its own wire format and applies its own update semantics to it, so a change
made through one face is seen through the other. Ids, write keys, tokens and
timestamps are deterministic: two fresh states behave identically.
"""

from __future__ import annotations

import base64
import copy
import hashlib
from dataclasses import dataclass, field
from typing import Any

Json = Any

_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def opaque(*parts: object, size: int = 22) -> str:
    """A deterministic opaque id (base62) for `parts`."""
    number = int.from_bytes(hashlib.sha256(":".join(map(str, parts)).encode()).digest(), "big")
    out = []
    for _ in range(size):
        number, digit = divmod(number, 62)
        out.append(_ALPHABET[digit])
    return "".join(out)


def page_token(prefix: str, offset: int) -> str:
    return base64.b64encode(f"{prefix}{offset}".encode()).decode()


def read_token(prefix: str, token: str) -> int | None:
    """The offset in a page token or cursor made by `page_token`, else None."""
    try:
        text = base64.b64decode(token.encode(), validate=True).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    rest = text.removeprefix(prefix)
    return int(rest) if rest != text and rest.isdigit() else None


# --- the model -------------------------------------------------------------------


@dataclass
class Workspace:
    id: str
    slug: str
    display_name: str
    create_time: str


@dataclass
class CatalogSource:
    slug: str
    id: str
    display_name: str
    description: str
    categories: list[str]
    type: str = "library"


@dataclass
class CatalogSetting:
    key: str
    display_name: str
    type: str = "string"
    required: bool = False
    secret: bool = False


@dataclass
class CatalogDestination:
    slug: str
    id: str
    display_name: str
    description: str
    categories: list[str]
    settings: list[CatalogSetting]
    previous_names: list[str] = field(default_factory=list)
    website: str = ""


# Schema settings (Protocols), flat Config names; defaults of a new source.
SCHEMA_DEFAULTS: dict[str, Json] = {
    "allow_unplanned_track_events": True,
    "allow_unplanned_track_event_properties": True,
    "allow_track_event_on_violations": True,
    "allow_track_properties_on_violations": True,
    "common_track_event_on_violations": "ALLOW",
    "allow_unplanned_identify_traits": True,
    "allow_identify_traits_on_violations": True,
    "common_identify_event_on_violations": "ALLOW",
    "allow_unplanned_group_traits": True,
    "allow_group_traits_on_violations": True,
    "common_group_event_on_violations": "ALLOW",
    "forwarding_violations_to": "",  # a source id, "" for none
    "forwarding_blocked_events_to": "",
}


@dataclass
class Source:
    id: str
    slug: str
    display_name: str
    catalog: str  # catalog slug
    write_keys: list[str]
    create_time: str
    enabled: bool = True
    schema: dict[str, Json] = field(default_factory=lambda: dict(SCHEMA_DEFAULTS))


@dataclass
class Destination:
    id: str
    source_id: str
    catalog: str  # catalog slug
    display_name: str
    enabled: bool
    settings: dict[str, Json]
    create_time: str
    update_time: str
    connection_mode: str = "CLOUD"


@dataclass
class Filter:
    id: str
    destination_id: str
    title: str
    description: str
    if_: str
    actions: list[dict[str, Json]]  # Public form: DROP / SAMPLE / ALLOW_PROPERTIES / DROP_PROPERTIES
    enabled: bool
    create_time: str
    update_time: str


@dataclass
class Rule:
    type: str  # TRACK, IDENTIFY, GROUP, COMMON
    key: str  # event name for TRACK rules, "" otherwise
    json_schema: dict[str, Json]
    version: int = 1
    description: str = ""  # Config events only; the Public API has no field for it


@dataclass
class TrackingPlan:
    id: str  # Public id, tp_…
    slug: str  # Config id, rs_… (the Public `slug`)
    display_name: str
    rules: list[Rule]
    create_time: str
    update_time: str
    description: str = ""
    type: str = "LIVE"
    source_ids: list[str] = field(default_factory=list)


REGULATION_STEPS = ("INITIALIZED", "RUNNING", "FINISHED")


@dataclass
class Regulation:
    id: str
    type: str  # Public enum: SUPPRESS_ONLY, SUPPRESS_WITH_DELETE, UNSUPPRESS, DELETE_ONLY
    subject_type: str  # USER_ID or OBJECT_ID
    subject_ids: list[str]
    create_time: str
    source_id: str = ""
    collection: str = ""
    polls: int = 0

    def poll(self) -> str:
        """The status a GET sees: every read advances the job one step."""
        status = REGULATION_STEPS[min(self.polls, len(REGULATION_STEPS) - 1)]
        self.polls += 1
        return status

    @property
    def status(self) -> str:
        return REGULATION_STEPS[min(self.polls, len(REGULATION_STEPS) - 1)]


# --- credentials ---------------------------------------------------------------------

CONFIG_TOKEN = "cfg.fake-config-api-token"
PUBLIC_TOKEN = "sgp_fake-public-api-token"
OWNER_EMAIL = "owner@acme.test"
OWNER_PASSWORD = "correct horse battery staple"
APP_CLIENT_ID = "app-client-7"
APP_CLIENT_SECRET = "app-secret-7"
INSTALL_NAME = "install/10"


@dataclass
class State:
    workspace: Workspace
    source_catalog: list[CatalogSource]
    destination_catalog: list[CatalogDestination]
    sources: list[Source] = field(default_factory=list)
    destinations: list[Destination] = field(default_factory=list)
    filters: list[Filter] = field(default_factory=list)
    plans: list[TrackingPlan] = field(default_factory=list)
    regulations: list[Regulation] = field(default_factory=list)
    suppressed: list[tuple[str, list[str]]] = field(default_factory=list)
    config_tokens: set[str] = field(default_factory=lambda: {CONFIG_TOKEN})
    public_tokens: set[str] = field(default_factory=lambda: {PUBLIC_TOKEN})
    ticks: int = 0
    serial: int = 0

    # -- clocks and ids ------------------------------------------------------------

    def now(self) -> str:
        self.ticks += 1
        minutes, seconds = divmod(self.ticks, 60)
        return f"2021-03-04T{5 + minutes // 60:02d}:{minutes % 60:02d}:{seconds:02d}.000Z"

    def new_id(self, kind: str, size: int = 22) -> str:
        self.serial += 1
        return opaque(kind, self.serial, size=size)

    # -- lookups ---------------------------------------------------------------------

    def source(self, *, slug: str | None = None, id: str | None = None) -> Source | None:
        return next((s for s in self.sources if s.slug == slug or s.id == id), None)

    def source_slug(self, source_id: str) -> str:
        found = self.source(id=source_id)
        return found.slug if found else ""

    def catalog_source(self, *, slug: str | None = None, id: str | None = None) -> CatalogSource | None:
        return next((c for c in self.source_catalog if c.slug == slug or c.id == id), None)

    def catalog_destination(
        self, *, slug: str | None = None, id: str | None = None
    ) -> CatalogDestination | None:
        return next(
            (c for c in self.destination_catalog if c.slug == slug or c.id == id), None
        )

    def destination(self, id: str) -> Destination | None:
        return next((d for d in self.destinations if d.id == id), None)

    def destinations_of(self, source_id: str) -> list[Destination]:
        return [d for d in self.destinations if d.source_id == source_id]

    def filters_of(self, destination_id: str) -> list[Filter]:
        return [f for f in self.filters if f.destination_id == destination_id]

    def plan(self, *, slug: str | None = None, id: str | None = None) -> TrackingPlan | None:
        return next((p for p in self.plans if p.slug == slug or p.id == id), None)

    def regulation(self, id: str) -> Regulation | None:
        return next((r for r in self.regulations if r.id == id), None)

    # -- mutations shared by both faces ----------------------------------------------

    def add_source(self, slug: str, catalog: str, display_name: str = "", enabled: bool = True) -> Source:
        source = Source(
            id=self.new_id("source"),
            slug=slug,
            display_name=display_name or slug,
            catalog=catalog,
            write_keys=[opaque("write-key", slug, self.serial, size=32)],
            create_time=self.now(),
            enabled=enabled,
        )
        self.sources.append(source)
        return source

    def remove_source(self, source: Source) -> None:
        self.sources.remove(source)
        for dest in self.destinations_of(source.id):
            self.remove_destination(dest)
        for plan in self.plans:
            if source.id in plan.source_ids:
                plan.source_ids.remove(source.id)

    def add_destination(
        self, source: Source, catalog: str, settings: dict[str, Json], enabled: bool = False,
        display_name: str = "",
    ) -> Destination:
        entry = self.catalog_destination(slug=catalog)
        now = self.now()
        dest = Destination(
            id=self.new_id("destination", 24).lower(),
            source_id=source.id,
            catalog=catalog,
            display_name=display_name or (entry.display_name if entry else catalog),
            enabled=enabled,
            settings=dict(settings),
            create_time=now,
            update_time=now,
        )
        self.destinations.append(dest)
        return dest

    def remove_destination(self, dest: Destination) -> None:
        self.destinations.remove(dest)
        self.filters = [f for f in self.filters if f.destination_id != dest.id]

    def add_filter(self, dest: Destination, **fields: Json) -> Filter:
        now = self.now()
        item = Filter(
            id="df_" + self.new_id("filter", 24),
            destination_id=dest.id,
            title=fields.get("title", ""),
            description=fields.get("description", ""),
            if_=fields.get("if_", ""),
            actions=copy.deepcopy(fields.get("actions", [])),
            enabled=bool(fields.get("enabled", False)),
            create_time=now,
            update_time=now,
        )
        self.filters.append(item)
        return item

    def add_plan(
        self, display_name: str, rules: list[Rule], description: str = "", *, slug: str = "", id: str = ""
    ) -> TrackingPlan:
        now = self.now()
        n = self.new_id("plan", 27)
        plan = TrackingPlan(
            id=id or "tp_" + n.lower()[:22],
            slug=slug or "rs_" + n,
            display_name=display_name,
            rules=rules,
            create_time=now,
            update_time=now,
            description=description,
        )
        self.plans.append(plan)
        return plan

    def add_regulation(
        self, type_: str, subject_type: str, subject_ids: list[str], source_id: str = "",
        collection: str = "",
    ) -> Regulation:
        reg = Regulation(
            id=self.new_id("regulation", 27),
            type=type_,
            subject_type=subject_type,
            subject_ids=list(subject_ids),
            create_time=self.now(),
            source_id=source_id,
            collection=collection,
        )
        self.regulations.append(reg)
        if type_ in ("SUPPRESS_ONLY", "SUPPRESS_WITH_DELETE"):
            self.suppressed.append((subject_type, list(subject_ids)))
        elif type_ == "UNSUPPRESS":
            gone = set(subject_ids)
            self.suppressed = [
                (kind, [i for i in ids if i not in gone]) for kind, ids in self.suppressed
            ]
            self.suppressed = [(kind, ids) for kind, ids in self.suppressed if ids]
        return reg

    def mint_config_token(self) -> str:
        token = "cfg." + self.new_id("token", 32)
        self.config_tokens.add(token)
        return token


# --- the seed workspace ------------------------------------------------------------------

# Config ids of the seed tracking plans (corpus scripts may name them).
WEB_PLAN = "rs_1AAPTLy8ffAAQth0PvL8rOvU6PJ"
MOBILE_PLAN = "rs_1AqjFLhQGTrpI7k3cipnSVF71n2"
LEGACY_PLAN = "rs_1LgcyPln8mZ2wQ4tR6yU0iO3pA"


def seed() -> State:
    """A fresh workspace: five sources, nine destinations, filters, three tracking plans."""
    state = State(
        workspace=Workspace(opaque("workspace", "acme"), "acme", "Acme Corp", "2019-01-02T03:04:05.000Z"),
        source_catalog=[
            CatalogSource("javascript", "IqDTy1TpoU", "Javascript", "Browser library", ["Website"]),
            CatalogSource("ios", opaque("meta", "ios", size=10), "iOS", "Mobile library for iOS", ["Mobile"]),
            CatalogSource("android", opaque("meta", "android", size=10), "Android", "Mobile library for Android", ["Mobile"]),
            CatalogSource("http-api", opaque("meta", "http", size=10), "HTTP API", "Send data over HTTP", ["Server"]),
            CatalogSource("python", opaque("meta", "python", size=10), "Python", "Server library for Python", ["Server"]),
            CatalogSource("stripe", opaque("meta", "stripe", size=10), "Stripe", "Payments data", ["Payments"], "cloud-event"),
        ],
        destination_catalog=[
            CatalogDestination(
                "google-analytics", "60b5d0a01f3726b85dc05aab", "Google Analytics", "Web analytics",
                ["Analytics"],
                [CatalogSetting("trackingId", "Website Tracking ID", required=True),
                 CatalogSetting("anonymizeIp", "Anonymize IP Addresses", "boolean"),
                 CatalogSetting("enableServerIdentify", "Enable Server Side Identify", "boolean")],
                previous_names=["Google Universal Analytics"], website="https://analytics.google.com",
            ),
            CatalogDestination(
                "amplitude", "54521fd525e721e32a72ee91", "Amplitude", "Product analytics", ["Analytics"],
                [CatalogSetting("apiKey", "API Key", required=True, secret=True),
                 CatalogSetting("trackAllPages", "Track All Pages", "boolean")],
                website="https://amplitude.com",
            ),
            CatalogDestination(
                "mixpanel", "54521fd725e721e32a72eec6", "Mixpanel", "Event analytics", ["Analytics"],
                [CatalogSetting("token", "Project Token", required=True),
                 CatalogSetting("people", "Use Mixpanel People", "boolean")],
                website="https://mixpanel.com",
            ),
            CatalogDestination(
                "webhooks", "5578db1b0a20f4e8d5e4f6a3", "Webhooks", "Send events to any URL", ["Raw Data"],
                [CatalogSetting("hookUrl", "Webhook URL", required=True)],
                previous_names=["Webhooks (Classic)"], website="https://segment.com/docs/webhooks",
            ),
            CatalogDestination(
                "slack", "54521fd925e721e32a72eee8", "Slack", "Messages in channels", ["Alerting"],
                [CatalogSetting("webhook", "Incoming Webhook URL", required=True),
                 CatalogSetting("channel", "Channel")],
                website="https://slack.com",
            ),
            CatalogDestination(
                "intercom", "54521fd725e721e32a72eec2", "Intercom", "Customer messaging", ["CRM", "Email"],
                [CatalogSetting("appId", "App ID", required=True),
                 CatalogSetting("apiKey", "API Key", secret=True)],
                website="https://intercom.com",
            ),
        ],
    )
    web = state.add_source("web", "javascript", "Website")
    ios = state.add_source("ios-app", "ios", "iOS App")
    android = state.add_source("android-app", "android", "Android App")
    backend = state.add_source("backend", "http-api", "Backend API")
    marketing = state.add_source("marketing-site", "javascript", "Marketing Site", enabled=False)

    ga = state.add_destination(web, "google-analytics", {"trackingId": "UA-1111-1", "anonymizeIp": True}, True)
    state.add_destination(web, "amplitude", {"apiKey": "amp-web-secret", "trackAllPages": False}, False)
    state.add_destination(web, "webhooks", {"hookUrl": "https://hooks.acme.test/web"}, True)
    amp_ios = state.add_destination(ios, "amplitude", {"apiKey": "amp-ios-secret", "trackAllPages": True}, True)
    state.add_destination(ios, "mixpanel", {"token": "mp-ios-token", "people": True}, True)
    state.add_destination(android, "mixpanel", {"token": "mp-android-token", "people": False}, False)
    state.add_destination(backend, "webhooks", {"hookUrl": "https://hooks.acme.test/backend"}, True)
    state.add_destination(backend, "slack", {"webhook": "https://hooks.slack.test/T0/B0", "channel": "#alerts"}, False)
    state.add_destination(marketing, "google-analytics", {"trackingId": "UA-2222-2", "anonymizeIp": False}, True)

    state.add_filter(ga, title="Drop test events", description="QA traffic", if_='event = "Test Event"',
                     actions=[{"type": "DROP"}], enabled=True)
    state.add_filter(ga, title="Sample page views", description="", if_='type = "page"',
                     actions=[{"type": "SAMPLE", "percent": 0.5, "path": "userId"}], enabled=False)
    state.add_filter(amp_ios, title="Strip contact details", description="PII", if_="all",
                     actions=[{"type": "DROP_PROPERTIES", "fields": {"properties": ["email", "phone"]}}],
                     enabled=True)

    obj = {"type": "object"}
    web_plan = state.add_plan("Web Events", [
        Rule("TRACK", "Signed Up", {"type": "object", "properties": {"properties": {"type": "object", "required": ["plan"]}}}, 1, "A user signed up"),
        Rule("TRACK", "Order Completed", {"type": "object", "properties": {"properties": {"type": "object", "required": ["order_id", "total"]}}}, 2, "Checkout finished"),
        Rule("IDENTIFY", "", {"type": "object", "properties": {"traits": {"type": "object", "required": ["email"]}}}),
    ], slug=WEB_PLAN, id="tp_sprout_rVGCC6WdrNxjCf6JpCHP")
    mobile_plan = state.add_plan("Mobile Events", [
        Rule("TRACK", "App Opened", obj, 1, "The app came to the foreground"),
        Rule("TRACK", "Screen Viewed", obj, 1, ""),
        Rule("COMMON", "", {"type": "object", "properties": {"context": {"type": "object"}}}),
    ], slug=MOBILE_PLAN, id="tp_sprout_mB8xQk3LpN2vT6yWcZ4dEf")
    state.add_plan("Legacy Plan", [], slug=LEGACY_PLAN, id="tp_sprout_Lg5hJ7kP9qR2sT4uV6wX8y")
    web_plan.source_ids += [web.id, marketing.id]
    mobile_plan.source_ids += [ios.id, android.id]

    state.add_regulation("SUPPRESS_ONLY", "USER_ID", ["user-001", "user-002"])
    state.add_regulation("DELETE_ONLY", "USER_ID", ["user-003"], source_id=backend.id)
    for reg in state.regulations:
        reg.polls = len(REGULATION_STEPS)  # old jobs are done
    return state

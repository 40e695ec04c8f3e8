"""The Config API face (`https://platform.segmentapis.com/v1beta/...`).

Resource names (`workspaces/acme/sources/web`) and slugs, snake_case
fields, bare resources, `{"<plural>": [...], "next_page_token": ""}` lists
paged with `page_size`/`page_token`, `update_mask` on PATCH/PUT (a masked
path without a value clears the field; data outside the mask is ignored),
errors `{"error": ..., "code": ...}` with gRPC codes.
"""

from __future__ import annotations

from typing import Any

from tests.equivalence import fake_state as st
from tests.equivalence.fake_http import ApiError, NoRoute, Reply, Request, Router, page_window

Json = Any
V = "/v1beta"
WS = V + "/workspaces/{ws}"
SRC = WS + "/sources/{src}"
DST = SRC + "/destinations/{dst}"
PLAN = WS + "/tracking-plans/{plan}"

_CODES = {400: 3, 401: 16, 403: 7, 404: 5, 405: 12, 409: 6, 500: 13}

# Config regulation type spellings (case-insensitive) → the canonical enum.
REGULATION_TYPES = {
    "suppress": "SUPPRESS_ONLY",
    "suppress_only": "SUPPRESS_ONLY",
    "suppress_with_delete": "SUPPRESS_WITH_DELETE",
    "suppress_and_delete": "SUPPRESS_WITH_DELETE",
    "unsuppress": "UNSUPPRESS",
    "delete": "DELETE_ONLY",
}
_TYPE_NAMES = {"SUPPRESS_ONLY": "suppress", "SUPPRESS_WITH_DELETE": "suppress_with_delete",
               "UNSUPPRESS": "unsuppress", "DELETE_ONLY": "delete"}
_SUBJECTS = {"userId": "USER_ID", "objectId": "OBJECT_ID"}
_ACTIONS = {"drop_event": "DROP", "sample_event": "SAMPLE",
            "whitelist_fields": "ALLOW_PROPERTIES", "blacklist_fields": "DROP_PROPERTIES"}
_RULE_SECTIONS = {"global": "COMMON", "identify": "IDENTIFY", "group": "GROUP"}
_TOKEN_PREFIX = "page:"


class ConfigFace:
    def __init__(self, state: st.State, page_limit: int) -> None:
        self.state = state
        self.page_limit = page_limit
        self.router = Router()
        self._routes()

    # -- entry point ------------------------------------------------------------------

    def handle(self, request: Request) -> Reply:
        try:
            handler = self.router.find(request)
            if handler not in (self.access_token, self.install_token):
                if request.bearer() not in self.state.config_tokens:
                    raise ApiError(401, "invalid or missing access token")
                ws = request.params.get("ws")
                if ws is not None and ws != self.state.workspace.slug:
                    raise ApiError(404, f"workspace {ws!r} not found")
            return Reply(200, handler(request))
        except ApiError as exc:
            body = {"error": exc.message, "code": _CODES.get(exc.status, 2)}
            return Reply(exc.status, body, routed=not isinstance(exc, NoRoute))

    def _routes(self) -> None:
        add = self.router.add
        add("GET", V + "/workspaces", self.list_workspaces)
        add("GET", WS, self.get_workspace)
        add("GET", WS + "/sources", self.list_sources)
        add("POST", WS + "/sources", self.create_source)
        add("GET", SRC, self.get_source)
        add("PATCH", SRC, self.update_source)
        add("DELETE", SRC, self.delete_source)
        add("GET", SRC + "/schema-config", self.get_schema)
        add("PATCH", SRC + "/schema-config", self.update_schema)
        add("GET", SRC + "/destinations", self.list_destinations)
        add("POST", SRC + "/destinations", self.create_destination)
        add("GET", DST, self.get_destination)
        add("PATCH", DST, self.update_destination)
        add("DELETE", DST, self.delete_destination)
        add("GET", DST + "/filters", self.list_filters)
        add("POST", DST + "/filters", self.create_filter)
        add("GET", DST + "/filters/{fid}", self.get_filter)
        add("PATCH", DST + "/filters/{fid}", self.update_filter)
        add("DELETE", DST + "/filters/{fid}", self.delete_filter)
        add("GET", DST + "/metrics", self.list_metrics)
        add("GET", DST + "/metrics/{metric}", self.get_metric)
        add("GET", WS + "/tracking-plans", self.list_plans)
        add("POST", WS + "/tracking-plans", self.create_plan)
        add("GET", PLAN, self.get_plan)
        add("PUT", PLAN, self.update_plan)
        add("DELETE", PLAN, self.delete_plan)
        add("GET", PLAN + "/source-connections", self.list_connections)
        add("POST", PLAN + "/source-connections", self.connect_source)
        add("POST", PLAN + "/source-connections:batchCreateConnections", self.batch_connect)
        add("DELETE", PLAN + "/source-connections/{src}", self.disconnect_source)
        add("GET", V + "/catalog/sources", self.list_catalog_sources)
        add("GET", V + "/catalog/sources/{slug}", self.get_catalog_source)
        add("GET", V + "/catalog/destinations", self.list_catalog_destinations)
        add("GET", V + "/catalog/destinations/{slug}", self.get_catalog_destination)
        add("GET", WS + "/regulations", self.list_regulations)
        add("POST", WS + "/regulations", self.create_regulation)
        add("GET", WS + "/regulations/{reg}", self.get_regulation)
        add("DELETE", WS + "/regulations/{reg}", self.delete_regulation)
        add("POST", SRC + "/regulations", self.create_source_regulation)
        add("GET", WS + "/suppressed-users", self.list_suppressed)
        add("POST", V + "/access-tokens", self.access_token)
        add("GET", V + "/install/{install}/token", self.install_token)

    # -- rendering --------------------------------------------------------------------

    @property
    def ws_name(self) -> str:
        return f"workspaces/{self.state.workspace.slug}"

    def source_name(self, source: st.Source) -> str:
        return f"{self.ws_name}/sources/{source.slug}"

    def dest_name(self, dest: st.Destination) -> str:
        return f"{self.ws_name}/sources/{self.state.source_slug(dest.source_id)}/destinations/{dest.catalog}"

    def workspace_view(self) -> Json:
        ws = self.state.workspace
        return {"name": self.ws_name, "display_name": ws.display_name, "id": ws.id,
                "create_time": ws.create_time}

    def source_view(self, s: st.Source) -> Json:
        return {
            "name": self.source_name(s),
            "parent": self.ws_name,
            "display_name": s.display_name,
            "catalog_name": f"catalog/sources/{s.catalog}",
            "write_keys": list(s.write_keys),
            "library_config": {"metrics_enabled": False, "retry_queue": True,
                               "cross_domain_id_enabled": False, "api_host": ""},
            "create_time": s.create_time,
        }

    def destination_view(self, d: st.Destination) -> Json:
        name = self.dest_name(d)
        entry = self.state.catalog_destination(slug=d.catalog)
        known = {c.key: c for c in entry.settings} if entry else {}
        keys = [k for k in known if k in d.settings] + sorted(k for k in d.settings if k not in known)
        config = [
            {"name": f"{name}/config/{k}",
             "display_name": known[k].display_name if k in known else k,
             "value": d.settings[k],
             "type": known[k].type if k in known else "string"}
            for k in keys
        ]
        return {
            "slug": d.catalog,
            "name": name,
            "parent": f"{self.ws_name}/sources/{self.state.source_slug(d.source_id)}",
            "display_name": d.display_name,
            "enabled": d.enabled,
            "connection_mode": d.connection_mode,
            "config": config,
            "create_time": d.create_time,
            "update_time": d.update_time,
        }

    def filter_view(self, f: st.Filter) -> Json:
        dest = self.state.destination(f.destination_id)
        assert dest is not None
        return {"name": f"{self.dest_name(dest)}/filters/{f.id}", "title": f.title,
                "description": f.description, "if": f.if_,
                "actions": [_config_action(a) for a in f.actions], "enabled": f.enabled}

    def plan_view(self, p: st.TrackingPlan) -> Json:
        rules: dict[str, Json] = {"events": [
            {"name": r.key, "description": r.description, "version": r.version, "rules": r.json_schema}
            for r in p.rules if r.type == "TRACK"
        ]}
        for section, kind in _RULE_SECTIONS.items():
            for r in p.rules:
                if r.type == kind:
                    rules[section] = r.json_schema
        return {"name": f"{self.ws_name}/tracking-plans/{p.slug}", "display_name": p.display_name,
                "rules": rules, "create_time": p.create_time, "update_time": p.update_time}

    def catalog_source_view(self, c: st.CatalogSource) -> Json:
        return {"name": f"catalog/sources/{c.slug}", "display_name": c.display_name,
                "description": c.description, "type": c.type, "categories": list(c.categories),
                "logos": {"logo": f"https://cdn.fake/{c.slug}.svg", "mark": ""}}

    def catalog_destination_view(self, c: st.CatalogDestination) -> Json:
        return {
            "name": f"catalog/destinations/{c.slug}", "display_name": c.display_name,
            "description": c.description, "type": "STREAMING", "website": c.website,
            "status": "PUBLIC", "categories": list(c.categories),
            "previous_names": list(c.previous_names),
            "logos": {"logo": f"https://cdn.fake/{c.slug}.svg", "mark": ""},
            "methods": {"track": True, "identify": True, "page": True, "group": False, "alias": False},
            "platforms": {"browser": True, "server": True, "mobile": False},
            "settings": [{"name": s.key, "display_name": s.display_name, "type": s.type,
                          "required": s.required, "deprecated": False} for s in c.settings],
        }

    def regulation_view(self, r: st.Regulation, status: str) -> Json:
        name = next(k for k, v in _SUBJECTS.items() if v == r.subject_type)
        view = {"name": f"{self.ws_name}/regulations/{r.id}",
                "regulation_type": _TYPE_NAMES[r.type], "status": status,
                "attributes": {"name": name, "values": list(r.subject_ids)},
                "create_time": r.create_time}
        if r.source_id:
            view["parent"] = f"{self.ws_name}/sources/{self.state.source_slug(r.source_id)}"
        return view

    def page(self, request: Request, key: str, items: list[Json]) -> Json:
        token = request.arg("page_token") or ""
        offset = st.read_token(_TOKEN_PREFIX, token) if token else 0
        if offset is None:
            raise ApiError(400, "invalid page_token")
        size = request.arg("page_size")
        if size is not None and (not size.isdigit() or int(size) < 0):
            raise ApiError(400, "page_size must be a positive number")
        start, end = page_window(len(items), offset, int(size) if size else None, self.page_limit)
        more = end < len(items)
        return {key: items[start:end], "next_page_token": st.page_token(_TOKEN_PREFIX, end) if more else ""}

    # -- lookups that raise -------------------------------------------------------------

    def _source(self, request: Request) -> st.Source:
        found = self.state.source(slug=request.params["src"])
        if found is None:
            raise ApiError(404, f"source {request.params['src']!r} not found")
        return found

    def _destination(self, request: Request) -> st.Destination:
        source = self._source(request)
        slug = request.params["dst"]
        found = [d for d in self.state.destinations_of(source.id) if d.catalog == slug]
        if not found:
            raise ApiError(404, f"destination {slug!r} not found")
        return found[0]

    def _filter(self, request: Request) -> st.Filter:
        dest = self._destination(request)
        found = next((f for f in self.state.filters_of(dest.id) if f.id == request.params["fid"]), None)
        if found is None:
            raise ApiError(404, f"filter {request.params['fid']!r} not found")
        return found

    def _plan(self, request: Request) -> st.TrackingPlan:
        found = self.state.plan(slug=request.params["plan"])
        if found is None:
            raise ApiError(404, f"tracking plan {request.params['plan']!r} not found")
        return found

    def _source_by_name(self, name: Json) -> st.Source:
        prefix = f"{self.ws_name}/sources/"
        if not isinstance(name, str) or not name.startswith(prefix):
            raise ApiError(400, f"invalid source name {name!r}")
        found = self.state.source(slug=name[len(prefix):])
        if found is None:
            raise ApiError(404, f"source {name!r} not found")
        return found

    # -- workspaces and sources -------------------------------------------------------------

    def list_workspaces(self, request: Request) -> Json:
        return self.page(request, "workspaces", [self.workspace_view()])

    def get_workspace(self, request: Request) -> Json:
        return self.workspace_view()

    def list_sources(self, request: Request) -> Json:
        return self.page(request, "sources", [self.source_view(s) for s in self.state.sources])

    def create_source(self, request: Request) -> Json:
        body = _object(request.json().get("source"), "source")
        prefix = f"{self.ws_name}/sources/"
        name, catalog = body.get("name"), body.get("catalog_name")
        if not isinstance(name, str) or not name.startswith(prefix) or "/" in name[len(prefix):]:
            raise ApiError(400, f"invalid source name {name!r}")
        if not isinstance(catalog, str) or not catalog.startswith("catalog/sources/"):
            raise ApiError(400, f"invalid catalog_name {catalog!r}")
        slug, catalog_slug = name[len(prefix):], catalog.removeprefix("catalog/sources/")
        if self.state.source(slug=slug):
            raise ApiError(409, f"source {slug!r} already exists")
        if not self.state.catalog_source(slug=catalog_slug):
            raise ApiError(404, f"catalog source {catalog_slug!r} not found")
        source = self.state.add_source(slug, catalog_slug, str(body.get("display_name") or ""))
        return self.source_view(source)

    def get_source(self, request: Request) -> Json:
        return self.source_view(self._source(request))

    def update_source(self, request: Request) -> Json:
        source = self._source(request)
        body, paths = _masked(request.json(), "source")
        for path in paths:
            if path != "display_name":
                raise ApiError(400, f"cannot update {path!r}")
            source.display_name = str(body.get(path) or "")
        return self.source_view(source)

    def delete_source(self, request: Request) -> Json:
        self.state.remove_source(self._source(request))
        return {}

    def get_schema(self, request: Request) -> Json:
        source = self._source(request)
        view: dict[str, Json] = {"name": f"{self.source_name(source)}/schema-config",
                                 "parent": self.source_name(source)}
        for key, value in source.schema.items():
            view[key] = self.state.source_slug(value) if key.startswith("forwarding_") else value
        return view

    def update_schema(self, request: Request) -> Json:
        source = self._source(request)
        body, paths = _masked(request.json(), "schema_config")
        for path in paths:
            if path not in st.SCHEMA_DEFAULTS:
                raise ApiError(400, f"unknown schema-config field {path!r}")
            value = body.get(path)
            if path.startswith("forwarding_"):
                target = self.state.source(slug=value) if value else None
                if value and target is None:
                    raise ApiError(400, f"unknown source {value!r}")
                source.schema[path] = target.id if target else ""
            elif isinstance(st.SCHEMA_DEFAULTS[path], bool):
                source.schema[path] = bool(value)
            else:
                source.schema[path] = value if value is not None else "ALLOW"
        return self.get_schema(request)

    # -- destinations and filters --------------------------------------------------------------

    def list_destinations(self, request: Request) -> Json:
        source = self._source(request)
        return self.page(request, "destinations",
                         [self.destination_view(d) for d in self.state.destinations_of(source.id)])

    def create_destination(self, request: Request) -> Json:
        source = self._source(request)
        body = _object(request.json().get("destination"), "destination")
        prefix = f"{self.source_name(source)}/destinations/"
        name = body.get("name")
        if not isinstance(name, str) or not name.startswith(prefix):
            raise ApiError(400, f"invalid destination name {name!r}")
        slug = name[len(prefix):]
        if self.state.catalog_destination(slug=slug) is None:
            raise ApiError(404, f"catalog destination {slug!r} not found")
        if any(d.catalog == slug for d in self.state.destinations_of(source.id)):
            raise ApiError(409, f"destination {slug!r} already exists")
        settings = _config_settings(body.get("config") or [], name)
        dest = self.state.add_destination(source, slug, settings, bool(body.get("enabled", False)),
                                          str(body.get("display_name") or ""))
        dest.connection_mode = str(body.get("connection_mode") or "UNSPECIFIED")
        return self.destination_view(dest)

    def get_destination(self, request: Request) -> Json:
        return self.destination_view(self._destination(request))

    def update_destination(self, request: Request) -> Json:
        dest = self._destination(request)
        body, paths = _masked(request.json(), "destination")
        for path in paths:
            value = body.get(path)
            if path == "enabled":
                dest.enabled = bool(value)
            elif path == "display_name":
                dest.display_name = str(value or "")
            elif path == "config":
                if value is None:
                    dest.settings = {}
                else:
                    dest.settings.update(_config_settings(value, self.dest_name(dest)))
            else:
                raise ApiError(400, f"cannot update {path!r}")
        dest.update_time = self.state.now()
        return self.destination_view(dest)

    def delete_destination(self, request: Request) -> Json:
        self.state.remove_destination(self._destination(request))
        return {}

    def list_filters(self, request: Request) -> Json:
        dest = self._destination(request)
        return self.page(request, "filters", [self.filter_view(f) for f in self.state.filters_of(dest.id)])

    def create_filter(self, request: Request) -> Json:
        dest = self._destination(request)
        body = _object(request.json().get("filter"), "filter")
        item = self.state.add_filter(
            dest, title=str(body.get("title") or ""), description=str(body.get("description") or ""),
            if_=str(body.get("if") or ""), actions=[_public_action(a) for a in body.get("actions") or []],
            enabled=bool(body.get("enabled", False)),
        )
        return self.filter_view(item)

    def get_filter(self, request: Request) -> Json:
        return self.filter_view(self._filter(request))

    def update_filter(self, request: Request) -> Json:
        item = self._filter(request)
        body, paths = _masked(request.json(), "filter")
        for path in paths:
            value = body.get(path)
            if path == "actions":
                item.actions = [_public_action(a) for a in value or []]
            elif path == "enabled":
                item.enabled = bool(value)
            elif path in ("title", "description", "if"):
                setattr(item, "if_" if path == "if" else path, str(value or ""))
            else:
                raise ApiError(400, f"cannot update {path!r}")
        item.update_time = self.state.now()
        return self.filter_view(item)

    def delete_filter(self, request: Request) -> Json:
        self.state.filters.remove(self._filter(request))
        return {}

    def list_metrics(self, request: Request) -> Json:
        name = self.dest_name(self._destination(request))
        return {"metrics": [{"name": f"{name}/metrics/{m}", "display_name": m.replace("_", " ").title()}
                            for m in ("successes", "retried_502", "time_to_success_p95")]}

    def get_metric(self, request: Request) -> Json:
        dest = self._destination(request)
        metric = request.params["metric"]
        seed = sum(map(ord, dest.id + metric))
        series = [{"time": f"2021-03-04T0{h}:00:00Z", "value": (seed * (h + 3)) % 97} for h in range(4)]
        return {"name": f"{self.dest_name(dest)}/metrics/{metric}", "series": series}

    # -- tracking plans -----------------------------------------------------------------------

    def list_plans(self, request: Request) -> Json:
        return self.page(request, "tracking_plans", [self.plan_view(p) for p in self.state.plans])

    def create_plan(self, request: Request) -> Json:
        body = _object(request.json().get("tracking_plan"), "tracking_plan")
        name = body.get("display_name")
        if not isinstance(name, str) or not name:
            raise ApiError(400, "tracking_plan.display_name is required")
        plan = self.state.add_plan(name, _rules(body.get("rules") or {}))
        return self.plan_view(plan)

    def get_plan(self, request: Request) -> Json:
        return self.plan_view(self._plan(request))

    def update_plan(self, request: Request) -> Json:
        plan = self._plan(request)
        body, paths = _masked(request.json(), "tracking_plan")
        for path in paths:
            if path == "display_name":
                plan.display_name = str(body.get(path) or "")
            elif path == "rules":
                plan.rules = _rules(body.get(path) or {})
            else:
                raise ApiError(400, f"cannot update {path!r}")
        plan.update_time = self.state.now()
        return self.plan_view(plan)

    def delete_plan(self, request: Request) -> Json:
        self.state.plans.remove(self._plan(request))
        return {}

    def _connection(self, plan: st.TrackingPlan, source_id: str) -> Json:
        source = self.state.source(id=source_id)
        assert source is not None
        return {"source_name": self.source_name(source), "tracking_plan_id": plan.slug}

    def list_connections(self, request: Request) -> Json:
        plan = self._plan(request)
        return {"connections": [self._connection(plan, s) for s in plan.source_ids]}

    def connect_source(self, request: Request) -> Json:
        plan = self._plan(request)
        source = self._source_by_name(request.json().get("source_name"))
        if source.id not in plan.source_ids:
            plan.source_ids.append(source.id)
        return self._connection(plan, source.id)

    def batch_connect(self, request: Request) -> Json:
        plan = self._plan(request)
        names = request.json().get("source_names")
        if not isinstance(names, list):
            raise ApiError(400, "source_names must be a list")
        for source in [self._source_by_name(n) for n in names]:
            if source.id not in plan.source_ids:
                plan.source_ids.append(source.id)
        return {"connections": [self._connection(plan, s) for s in plan.source_ids]}

    def disconnect_source(self, request: Request) -> Json:
        plan = self._plan(request)
        slug = request.params["src"].removeprefix(f"{self.ws_name}/sources/")
        source = self.state.source(slug=slug)
        if source is None or source.id not in plan.source_ids:
            raise ApiError(404, f"source {slug!r} is not connected")
        plan.source_ids.remove(source.id)
        return {}

    # -- catalog ----------------------------------------------------------------------------

    def list_catalog_sources(self, request: Request) -> Json:
        return self.page(request, "sources", [self.catalog_source_view(c) for c in self.state.source_catalog])

    def get_catalog_source(self, request: Request) -> Json:
        found = self.state.catalog_source(slug=request.params["slug"])
        if found is None:
            raise ApiError(404, f"catalog source {request.params['slug']!r} not found")
        return self.catalog_source_view(found)

    def list_catalog_destinations(self, request: Request) -> Json:
        return self.page(request, "destinations",
                         [self.catalog_destination_view(c) for c in self.state.destination_catalog])

    def get_catalog_destination(self, request: Request) -> Json:
        found = self.state.catalog_destination(slug=request.params["slug"])
        if found is None:
            raise ApiError(404, f"catalog destination {request.params['slug']!r} not found")
        return self.catalog_destination_view(found)

    # -- regulations ----------------------------------------------------------------------------

    def _regulate(self, request: Request, source: st.Source | None) -> Json:
        body = request.json()
        kind = REGULATION_TYPES.get(str(body.get("regulation_type", "")).lower())
        attributes = _object(body.get("attributes"), "attributes")
        subject = _SUBJECTS.get(attributes.get("name"))
        values = attributes.get("values")
        if kind is None or subject is None or not isinstance(values, list) or not values:
            raise ApiError(400, "regulation_type and attributes {name, values} are required")
        collection = str(body.get("collection") or "")
        if subject == "OBJECT_ID" and (source is None or not collection):
            raise ApiError(400, "object regulations need a source and a collection")
        reg = self.state.add_regulation(kind, subject, [str(v) for v in values],
                                        source.id if source else "", collection.rsplit("/", 1)[-1])
        return {"regulate_id": reg.id}

    def create_regulation(self, request: Request) -> Json:
        return self._regulate(request, None)

    def create_source_regulation(self, request: Request) -> Json:
        return self._regulate(request, self._source(request))

    def _regulation(self, request: Request) -> st.Regulation:
        found = self.state.regulation(request.params["reg"])
        if found is None:
            raise ApiError(404, f"regulation {request.params['reg']!r} not found")
        return found

    def list_regulations(self, request: Request) -> Json:
        regs = self.state.regulations
        if status := request.arg("status"):
            regs = [r for r in regs if r.status == status]
        return self.page(request, "regulations", [self.regulation_view(r, r.status) for r in regs])

    def get_regulation(self, request: Request) -> Json:
        reg = self._regulation(request)
        return self.regulation_view(reg, reg.poll())

    def delete_regulation(self, request: Request) -> Json:
        reg = self._regulation(request)
        if reg.status != "INITIALIZED":
            raise ApiError(400, "only initialized regulations can be deleted")
        self.state.regulations.remove(reg)
        return {}

    def list_suppressed(self, request: Request) -> Json:
        items = [{"attributes": {"name": next(k for k, v in _SUBJECTS.items() if v == kind), "values": ids}}
                 for kind, ids in self.state.suppressed]
        return self.page(request, "suppressed_users", items)

    # -- tokens (no Public counterpart) ------------------------------------------------------------

    def access_token(self, request: Request) -> Json:
        if request.basic() != (st.OWNER_EMAIL, st.OWNER_PASSWORD):
            raise ApiError(401, "invalid email or password")
        body = _object(request.json().get("access_token"), "access_token")
        self.state.serial += 1
        return {"name": f"access-tokens/{self.state.serial}", "description": body.get("description", ""),
                "scopes": body.get("scopes", "workspace"),
                "workspace_names": body.get("workspace_names", [self.ws_name]),
                "create_time": self.state.now(), "token": self.state.mint_config_token()}

    def install_token(self, request: Request) -> Json:
        if request.basic() != (st.APP_CLIENT_ID, st.APP_CLIENT_SECRET):
            raise ApiError(401, "invalid client credentials")
        if f"install/{request.params['install']}" != st.INSTALL_NAME:
            raise ApiError(404, "install not found")
        return {"access_token": self.state.mint_config_token(), "token_type": "bearer",
                "expires_in": 3600, "scope": "workspace", "app_name": "apps/acme-sync",
                "install_name": st.INSTALL_NAME, "workspace_names": [self.ws_name]}


# --- helpers ---------------------------------------------------------------------------------------


def _object(value: Json, what: str) -> dict[str, Json]:
    if not isinstance(value, dict):
        raise ApiError(400, f"{what} must be an object")
    return value


def _masked(body: Json, wrapper: str) -> tuple[dict[str, Json], list[str]]:
    """The resource and its masked field names; the mask may sit at the top
    level or inside the resource, its paths with or without the wrapper."""
    body = _object(body, "body")
    resource = _object(body.get(wrapper, {}), wrapper)
    mask = body.get("update_mask", resource.get("update_mask"))
    paths = mask.get("paths") if isinstance(mask, dict) else None
    if not isinstance(paths, list) or not paths:
        raise ApiError(400, "update_mask.paths is required")
    return resource, [str(p).removeprefix(wrapper + ".") for p in paths]


def _config_settings(config: Json, dest_name: str) -> dict[str, Json]:
    if not isinstance(config, list):
        raise ApiError(400, "config must be a list")
    settings = {}
    for entry in config:
        name = entry.get("name") if isinstance(entry, dict) else None
        if not isinstance(name, str) or not name.startswith(dest_name + "/config/"):
            raise ApiError(400, f"invalid config name {name!r}")
        settings[name.rsplit("/config/", 1)[1]] = entry.get("value")
    return settings


def _config_action(action: Json) -> Json:
    kind = next(k for k, v in _ACTIONS.items() if v == action["type"])
    out: dict[str, Json] = {"type": kind}
    if "fields" in action:
        out["fields"] = {obj: {"fields": list(names)} for obj, names in action["fields"].items()}
    for key in ("percent", "path"):
        if key in action:
            out[key] = action[key]
    return out


def _public_action(action: Json) -> Json:
    action = _object(action, "action")
    kind = _ACTIONS.get(action.get("type"))
    if kind is None:
        raise ApiError(400, f"unknown action type {action.get('type')!r}")
    out: dict[str, Json] = {"type": kind}
    if "fields" in action:
        out["fields"] = {obj: list(spec.get("fields", [])) for obj, spec in action["fields"].items()}
    for key in ("percent", "path"):
        if key in action:
            out[key] = action[key]
    return out


def _rules(rules: Json) -> list[st.Rule]:
    rules = _object(rules, "rules")
    out = []
    for event in rules.get("events") or []:
        event = _object(event, "event")
        if not event.get("name"):
            raise ApiError(400, "every event needs a name")
        out.append(st.Rule("TRACK", str(event["name"]), event.get("rules") or {},
                           int(event.get("version") or 1), str(event.get("description") or "")))
    for section, kind in _RULE_SECTIONS.items():
        if rules.get(section):
            out.append(st.Rule(kind, "", _object(rules[section], section)))
    return out

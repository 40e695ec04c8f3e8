"""The Public API face (`https://api.segmentapis.com/...`).

Opaque ids in paths, camelCase, every success in `{"data": ...}`, lists paged
with a required `pagination.count` and opaque `pagination.cursor` (the
last page has no `next`), partial PATCH bodies, `{"status": "SUCCESS"}` for
deletes and several updates, errors `{"errors": [{type, message, status}]}`.
Request bodies are validated strictly: an unknown or snake_case key, a
leftover wrapper or `update_mask` is a 422, as a schema-validating API would
answer.
"""

from __future__ import annotations

from typing import Any

from tests.equivalence import fake_state as st
from tests.equivalence.fake_http import ApiError, NoRoute, Reply, Request, Router, page_window

Json = Any
CONTENT_TYPE = "application/vnd.segment.v1+json"
SUCCESS = {"status": "SUCCESS"}
_CURSOR_PREFIX = "cursor:"
_ERROR_TYPES = {400: "bad-request", 401: "unauthorized", 404: "not-found", 405: "method-not-allowed",
                409: "conflict", 422: "input-validation"}
_ACTION_TYPES = ("DROP", "SAMPLE", "ALLOW_PROPERTIES", "DROP_PROPERTIES")
_REGULATION_TYPES = ("DELETE_INTERNAL", "DELETE_ONLY", "SUPPRESS_ONLY", "SUPPRESS_WITH_DELETE", "UNSUPPRESS")
_RULE_TYPES = ("COMMON", "GROUP", "IDENTIFY", "PAGE", "SCREEN", "TRACK")
_PLAN_TYPES = ("ENGAGE", "LIVE", "PROPERTY_LIBRARY", "RULE_LIBRARY", "TEMPLATE")

# Public schema settings: group → {Public key: Config flat key}.
SETTINGS = {
    "track": {
        "allowUnplannedEvents": "allow_unplanned_track_events",
        "allowUnplannedEventProperties": "allow_unplanned_track_event_properties",
        "allowEventOnViolations": "allow_track_event_on_violations",
        "allowPropertiesOnViolations": "allow_track_properties_on_violations",
        "commonEventOnViolations": "common_track_event_on_violations",
    },
    "identify": {
        "allowUnplannedTraits": "allow_unplanned_identify_traits",
        "allowTraitsOnViolations": "allow_identify_traits_on_violations",
        "commonEventOnViolations": "common_identify_event_on_violations",
    },
    "group": {
        "allowUnplannedTraits": "allow_unplanned_group_traits",
        "allowTraitsOnViolations": "allow_group_traits_on_violations",
        "commonEventOnViolations": "common_group_event_on_violations",
    },
}
_FORWARDING = {"forwardingViolationsTo": "forwarding_violations_to",
               "forwardingBlockedEventsTo": "forwarding_blocked_events_to"}


class PublicFace:
    def __init__(self, state: st.State, page_limit: int) -> None:
        self.state = state
        self.page_limit = page_limit
        self.router = Router()
        self._routes()

    def handle(self, request: Request) -> Reply:
        try:
            handler = self.router.find(request)
            if request.bearer() not in self.state.public_tokens:
                raise ApiError(401, "Unauthorized: invalid or missing Public API token")
            return Reply(200, {"data": handler(request)}, CONTENT_TYPE)
        except ApiError as exc:
            error = {"type": _ERROR_TYPES.get(exc.status, "error"), "message": exc.message, "status": exc.status}
            if exc.field:
                error["field"] = exc.field
            return Reply(exc.status, {"errors": [error]}, CONTENT_TYPE, routed=not isinstance(exc, NoRoute))

    def _routes(self) -> None:
        add = self.router.add
        add("GET", "/", self.get_workspace)
        add("GET", "/sources", self.list_sources)
        add("POST", "/sources", self.create_source)
        add("GET", "/sources/{id}", self.get_source)
        add("PATCH", "/sources/{id}", self.update_source)
        add("DELETE", "/sources/{id}", self.delete_source)
        add("GET", "/sources/{id}/settings", self.get_settings)
        add("PATCH", "/sources/{id}/settings", self.update_settings)
        add("GET", "/sources/{id}/connected-destinations", self.list_connected)
        add("GET", "/destinations", self.list_destinations)
        add("POST", "/destinations", self.create_destination)
        add("GET", "/destinations/{id}", self.get_destination)
        add("PATCH", "/destinations/{id}", self.update_destination)
        add("DELETE", "/destinations/{id}", self.delete_destination)
        add("GET", "/destinations/{id}/delivery-metrics", self.delivery_metrics)
        add("POST", "/destination/filters/preview", self.preview_filter)
        add("GET", "/destination/{id}/filters", self.list_filters)
        add("POST", "/destination/{id}/filters", self.create_filter)
        add("GET", "/destination/{id}/filters/{fid}", self.get_filter)
        add("PATCH", "/destination/{id}/filters/{fid}", self.update_filter)
        add("DELETE", "/destination/{id}/filters/{fid}", self.delete_filter)
        add("GET", "/tracking-plans", self.list_plans)
        add("POST", "/tracking-plans", self.create_plan)
        add("GET", "/tracking-plans/{id}", self.get_plan)
        add("PATCH", "/tracking-plans/{id}", self.update_plan)
        add("DELETE", "/tracking-plans/{id}", self.delete_plan)
        add("GET", "/tracking-plans/{id}/rules", self.list_rules)
        add("PUT", "/tracking-plans/{id}/rules", self.replace_rules)
        add("PATCH", "/tracking-plans/{id}/rules", self.upsert_rules)
        add("GET", "/tracking-plans/{id}/sources", self.list_plan_sources)
        add("POST", "/tracking-plans/{id}/sources", self.add_plan_source)
        add("DELETE", "/tracking-plans/{id}/sources", self.remove_plan_source)
        add("GET", "/catalog/sources", self.list_catalog_sources)
        add("GET", "/catalog/sources/{id}", self.get_catalog_source)
        add("GET", "/catalog/destinations", self.list_catalog_destinations)
        add("GET", "/catalog/destinations/{id}", self.get_catalog_destination)
        add("POST", "/regulations", self.create_regulation)
        add("POST", "/regulations/sources/{id}", self.create_source_regulation)
        add("POST", "/regulations/cloudsources/{id}", self.create_cloud_regulation)
        add("GET", "/regulations", self.list_regulations)
        add("GET", "/regulations/{id}", self.get_regulation)
        add("DELETE", "/regulations/{id}", self.delete_regulation)
        add("GET", "/suppressions", self.list_suppressions)
        for path, key in (("/functions", "functions"), ("/users", "users"), ("/roles", "roles")):
            add("GET", path, self._empty_list(key))

    # -- rendering ------------------------------------------------------------------------

    def source_metadata(self, c: st.CatalogSource) -> Json:
        return {"id": c.id, "slug": c.slug, "name": c.display_name, "description": c.description,
                "logos": {"default": f"https://cdn.fake/{c.slug}.svg"}, "options": [],
                "categories": list(c.categories), "isCloudEventSource": c.type == "cloud-event"}

    def destination_metadata(self, c: st.CatalogDestination) -> Json:
        return {
            "id": c.id, "name": c.display_name, "slug": c.slug, "description": c.description,
            "logos": {"default": f"https://cdn.fake/{c.slug}.svg"},
            "options": [{"name": s.key, "type": s.type, "required": s.required, "label": s.display_name}
                        for s in c.settings],
            "status": "PUBLIC", "previousNames": list(c.previous_names), "categories": list(c.categories),
            "website": c.website, "components": [],
            "supportedFeatures": {"cloudModeInstances": "MULTIPLE", "deviceModeInstances": "NONE"},
            "supportedMethods": {"track": True, "identify": True, "pageview": True, "group": False,
                                 "alias": False},
            "supportedPlatforms": {"browser": True, "server": True, "mobile": False},
            "actions": [], "presets": [],
        }

    def source_view(self, s: st.Source) -> Json:
        entry = self.state.catalog_source(slug=s.catalog)
        assert entry is not None
        return {"id": s.id, "slug": s.slug, "name": s.display_name, "workspaceId": self.state.workspace.id,
                "enabled": s.enabled, "writeKeys": list(s.write_keys), "metadata": self.source_metadata(entry),
                "settings": {}, "labels": []}

    def destination_view(self, d: st.Destination) -> Json:
        entry = self.state.catalog_destination(slug=d.catalog)
        assert entry is not None
        secret = {s.key for s in entry.settings if s.secret}
        settings = {k: _mask(v) if k in secret else v for k, v in d.settings.items()}
        return {"id": d.id, "name": d.display_name, "enabled": d.enabled,
                "metadata": self.destination_metadata(entry), "sourceId": d.source_id, "settings": settings}

    def filter_view(self, f: st.Filter) -> Json:
        dest = self.state.destination(f.destination_id)
        assert dest is not None
        return {"id": f.id, "sourceId": dest.source_id, "destinationId": dest.id, "if": f.if_,
                "actions": [dict(a) for a in f.actions], "title": f.title, "description": f.description,
                "enabled": f.enabled, "createdAt": f.create_time, "updatedAt": f.update_time}

    def plan_view(self, p: st.TrackingPlan) -> Json:
        return {"id": p.id, "name": p.display_name, "slug": p.slug, "description": p.description,
                "type": p.type, "updatedAt": p.update_time, "createdAt": p.create_time}

    def page(self, request: Request, key: str, items: list[Json]) -> Json:
        count = request.arg("pagination.count")
        if count is None:
            raise ApiError(422, "pagination.count is required", "pagination.count")
        try:
            asked = int(float(count))
        except ValueError:
            raise ApiError(422, "pagination.count must be a number", "pagination.count") from None
        if not 1 <= asked <= 200:
            raise ApiError(422, "pagination.count must be between 1 and 200", "pagination.count")
        cursor = request.arg("pagination.cursor")
        offset = st.read_token(_CURSOR_PREFIX, cursor) if cursor else 0
        if offset is None:
            raise ApiError(422, "invalid pagination.cursor", "pagination.cursor")
        start, end = page_window(len(items), offset, asked, self.page_limit)
        pagination: dict[str, Json] = {"current": st.page_token(_CURSOR_PREFIX, start),
                                       "totalEntries": len(items)}
        if end < len(items):
            pagination["next"] = st.page_token(_CURSOR_PREFIX, end)
        if start > 0:
            pagination["previous"] = st.page_token(_CURSOR_PREFIX, max(0, start - asked))
        return {key: items[start:end], "pagination": pagination}

    def _empty_list(self, key: str):  # noqa: ANN202
        return lambda request: self.page(request, key, [])

    # -- lookups that raise ----------------------------------------------------------------

    def _source(self, source_id: Json) -> st.Source:
        found = self.state.source(id=source_id) if isinstance(source_id, str) else None
        if found is None:
            raise ApiError(404, f"source {source_id!r} not found")
        return found

    def _destination(self, request: Request) -> st.Destination:
        found = self.state.destination(request.params["id"])
        if found is None:
            raise ApiError(404, f"destination {request.params['id']!r} not found")
        return found

    def _filter(self, request: Request) -> st.Filter:
        dest = self._destination(request)
        found = next((f for f in self.state.filters_of(dest.id) if f.id == request.params["fid"]), None)
        if found is None:
            raise ApiError(404, f"filter {request.params['fid']!r} not found")
        return found

    def _plan(self, request: Request) -> st.TrackingPlan:
        found = self.state.plan(id=request.params["id"])
        if found is None:
            raise ApiError(404, f"tracking plan {request.params['id']!r} not found")
        return found

    # -- workspace and sources ------------------------------------------------------------------

    def get_workspace(self, request: Request) -> Json:
        ws = self.state.workspace
        return {"workspace": {"id": ws.id, "slug": ws.slug, "name": ws.display_name}}

    def list_sources(self, request: Request) -> Json:
        return self.page(request, "sources", [self.source_view(s) for s in self.state.sources])

    def create_source(self, request: Request) -> Json:
        body = _body(request, required={"slug": str, "enabled": bool, "metadataId": str},
                     optional={"settings": dict})
        if self.state.source(slug=body["slug"]):
            raise ApiError(409, f"source {body['slug']!r} already exists")
        entry = self.state.catalog_source(id=body["metadataId"])
        if entry is None:
            raise ApiError(422, f"unknown metadataId {body['metadataId']!r}", "metadataId")
        source = self.state.add_source(body["slug"], entry.slug, enabled=body["enabled"])
        return {"source": self.source_view(source)}

    def get_source(self, request: Request) -> Json:
        return {"source": self.source_view(self._source(request.params["id"]))}

    def update_source(self, request: Request) -> Json:
        source = self._source(request.params["id"])
        body = _body(request, optional={"name": str, "enabled": bool, "slug": str, "settings": dict})
        if "name" in body:
            source.display_name = body["name"]
        if "enabled" in body:
            source.enabled = body["enabled"]
        if "slug" in body:
            source.slug = body["slug"]
        return {"source": self.source_view(source)}

    def delete_source(self, request: Request) -> Json:
        self.state.remove_source(self._source(request.params["id"]))
        return SUCCESS

    def _settings(self, source: st.Source) -> Json:
        settings: dict[str, Json] = {
            group: {key: source.schema[flat] for key, flat in fields.items()}
            for group, fields in SETTINGS.items()
        }
        for key, flat in _FORWARDING.items():
            if source.schema[flat]:
                settings[key] = source.schema[flat]
        return {"sourceId": source.id, "settings": settings}

    def get_settings(self, request: Request) -> Json:
        return self._settings(self._source(request.params["id"]))

    def update_settings(self, request: Request) -> Json:
        source = self._source(request.params["id"])
        body = _body(request, optional={"track": dict, "identify": dict, "group": dict,
                                        "forwardingViolationsTo": str, "forwardingBlockedEventsTo": str})
        for group, fields in SETTINGS.items():
            for key, value in body.get(group, {}).items():
                if key not in fields:
                    raise ApiError(422, f"unknown setting {group}.{key}", f"{group}.{key}")
                source.schema[fields[key]] = value
        for key, flat in _FORWARDING.items():
            if key in body:
                source.schema[flat] = self._source(body[key]).id if body[key] else ""
        return self._settings(source)

    # -- destinations and filters ------------------------------------------------------------------

    def list_connected(self, request: Request) -> Json:
        source = self._source(request.params["id"])
        return self.page(request, "destinations",
                         [self.destination_view(d) for d in self.state.destinations_of(source.id)])

    def list_destinations(self, request: Request) -> Json:
        return self.page(request, "destinations", [self.destination_view(d) for d in self.state.destinations])

    def create_destination(self, request: Request) -> Json:
        body = _body(request, required={"sourceId": str, "metadataId": str, "settings": dict},
                     optional={"enabled": bool, "name": str})
        source = self._source(body["sourceId"])
        entry = self.state.catalog_destination(id=body["metadataId"])
        if entry is None:
            raise ApiError(422, f"unknown metadataId {body['metadataId']!r}", "metadataId")
        dest = self.state.add_destination(source, entry.slug, body["settings"], body.get("enabled", False),
                                          body.get("name", ""))
        return {"destination": self.destination_view(dest)}

    def get_destination(self, request: Request) -> Json:
        return {"destination": self.destination_view(self._destination(request))}

    def update_destination(self, request: Request) -> Json:
        dest = self._destination(request)
        body = _body(request, optional={"name": (str, type(None)), "enabled": bool, "settings": dict})
        if "name" in body:
            dest.display_name = body["name"] or ""
        if "enabled" in body:
            dest.enabled = body["enabled"]
        dest.settings.update(body.get("settings", {}))
        dest.update_time = self.state.now()
        return {"destination": self.destination_view(dest)}

    def delete_destination(self, request: Request) -> Json:
        self.state.remove_destination(self._destination(request))
        return SUCCESS

    def delivery_metrics(self, request: Request) -> Json:
        dest = self._destination(request)
        if request.arg("sourceId") != dest.source_id:
            raise ApiError(422, "sourceId is required and must be the destination's source", "sourceId")
        entry = self.state.catalog_destination(slug=dest.catalog)
        assert entry is not None
        seed = sum(map(ord, dest.id))
        return {"deliveryMetricsSummary": {
            "sourceId": dest.source_id, "destinationMetadataId": entry.id,
            "metrics": [{"metricName": "successes", "total": seed % 1000},
                        {"metricName": "discarded", "total": seed % 7}]}}

    def preview_filter(self, request: Request) -> Json:
        body = _body(request, required={"filter": dict, "payload": dict})
        return {"inputPayload": body["payload"], "result": body["payload"]}

    def list_filters(self, request: Request) -> Json:
        dest = self._destination(request)
        return self.page(request, "filters", [self.filter_view(f) for f in self.state.filters_of(dest.id)])

    def create_filter(self, request: Request) -> Json:
        dest = self._destination(request)
        body = _body(request, required={"sourceId": str, "if": str, "actions": list, "title": str,
                                        "enabled": bool}, optional={"description": str})
        if body["sourceId"] != dest.source_id:
            raise ApiError(422, "sourceId is not the destination's source", "sourceId")
        item = self.state.add_filter(dest, title=body["title"], description=body.get("description", ""),
                                     if_=body["if"], actions=_actions(body["actions"]),
                                     enabled=body["enabled"])
        return {"filter": self.filter_view(item)}

    def get_filter(self, request: Request) -> Json:
        return {"filter": self.filter_view(self._filter(request))}

    def update_filter(self, request: Request) -> Json:
        item = self._filter(request)
        body = _body(request, optional={"if": str, "actions": list, "title": str,
                                        "description": (str, type(None)), "enabled": bool})
        if "actions" in body:
            item.actions = _actions(body["actions"])
        for key, attribute in (("if", "if_"), ("title", "title"), ("description", "description")):
            if key in body:
                setattr(item, attribute, body[key] or "")
        if "enabled" in body:
            item.enabled = body["enabled"]
        item.update_time = self.state.now()
        return {"filter": self.filter_view(item)}

    def delete_filter(self, request: Request) -> Json:
        self.state.filters.remove(self._filter(request))
        return SUCCESS

    # -- tracking plans -------------------------------------------------------------------------

    def list_plans(self, request: Request) -> Json:
        plans = self.state.plans
        if kind := request.arg("type"):
            plans = [p for p in plans if p.type == kind]
        return self.page(request, "trackingPlans", [self.plan_view(p) for p in plans])

    def create_plan(self, request: Request) -> Json:
        body = _body(request, required={"name": str, "type": str}, optional={"description": str})
        if body["type"] not in _PLAN_TYPES:
            raise ApiError(422, f"unknown type {body['type']!r}", "type")
        plan = self.state.add_plan(body["name"], [], body.get("description", ""))
        plan.type = body["type"]
        return {"trackingPlan": self.plan_view(plan)}

    def get_plan(self, request: Request) -> Json:
        return {"trackingPlan": self.plan_view(self._plan(request))}

    def update_plan(self, request: Request) -> Json:
        plan = self._plan(request)
        body = _body(request, optional={"name": str, "description": str})
        if "name" in body:
            plan.display_name = body["name"]
        if "description" in body:
            plan.description = body["description"]
        plan.update_time = self.state.now()
        return SUCCESS

    def delete_plan(self, request: Request) -> Json:
        self.state.plans.remove(self._plan(request))
        return SUCCESS

    def list_rules(self, request: Request) -> Json:
        plan = self._plan(request)
        rules = []
        for r in plan.rules:
            rule = {"type": r.type, "jsonSchema": r.json_schema, "version": r.version,
                    "createdAt": plan.create_time, "updatedAt": plan.update_time}
            if r.key:
                rule["key"] = r.key
            rules.append(rule)
        return self.page(request, "rules", rules)

    def replace_rules(self, request: Request) -> Json:
        plan = self._plan(request)
        plan.rules = _rule_list(_body(request, required={"rules": list})["rules"])
        plan.update_time = self.state.now()
        return SUCCESS

    def upsert_rules(self, request: Request) -> Json:
        plan = self._plan(request)
        for rule in _rule_list(_body(request, required={"rules": list})["rules"]):
            plan.rules = [r for r in plan.rules if (r.type, r.key) != (rule.type, rule.key)] + [rule]
        plan.update_time = self.state.now()
        return SUCCESS

    def list_plan_sources(self, request: Request) -> Json:
        plan = self._plan(request)
        return self.page(request, "sources", [self.source_view(self._source(s)) for s in plan.source_ids])

    def add_plan_source(self, request: Request) -> Json:
        plan = self._plan(request)
        source = self._source(_body(request, required={"sourceId": str})["sourceId"])
        if source.id not in plan.source_ids:
            plan.source_ids.append(source.id)
        return SUCCESS

    def remove_plan_source(self, request: Request) -> Json:
        plan = self._plan(request)
        source = self._source(request.arg("sourceId"))
        if source.id not in plan.source_ids:
            raise ApiError(404, f"source {source.id!r} is not connected")
        plan.source_ids.remove(source.id)
        return SUCCESS

    # -- catalog -------------------------------------------------------------------------------

    def list_catalog_sources(self, request: Request) -> Json:
        return self.page(request, "sourcesCatalog", [self.source_metadata(c) for c in self.state.source_catalog])

    def get_catalog_source(self, request: Request) -> Json:
        found = self.state.catalog_source(id=request.params["id"])
        if found is None:
            raise ApiError(404, f"source metadata {request.params['id']!r} not found")
        return {"sourceMetadata": self.source_metadata(found)}

    def list_catalog_destinations(self, request: Request) -> Json:
        return self.page(request, "destinationsCatalog",
                         [self.destination_metadata(c) for c in self.state.destination_catalog])

    def get_catalog_destination(self, request: Request) -> Json:
        found = self.state.catalog_destination(id=request.params["id"])
        if found is None:
            raise ApiError(404, f"destination metadata {request.params['id']!r} not found")
        return {"destinationMetadata": self.destination_metadata(found)}

    # -- regulations --------------------------------------------------------------------------------

    def _regulate(self, request: Request, source: st.Source | None, cloud: bool) -> Json:
        required = {"regulationType": str, "subjectType": str, "subjectIds": list}
        if cloud:
            required["collection"] = str
        body = _body(request, required=required)
        if body["regulationType"] not in _REGULATION_TYPES:
            raise ApiError(422, f"unknown regulationType {body['regulationType']!r}", "regulationType")
        allowed = ("OBJECT_ID",) if cloud else ("USER_ID",) if source else ("USER_ID", "OBJECT_ID")
        if body["subjectType"] not in allowed:
            raise ApiError(422, f"subjectType must be one of {', '.join(allowed)}", "subjectType")
        if not body["subjectIds"]:
            raise ApiError(422, "subjectIds must not be empty", "subjectIds")
        reg = self.state.add_regulation(body["regulationType"], body["subjectType"],
                                        [str(i) for i in body["subjectIds"]],
                                        source.id if source else "", body.get("collection", ""))
        return {"regulateId": reg.id}

    def create_regulation(self, request: Request) -> Json:
        return self._regulate(request, None, cloud=False)

    def create_source_regulation(self, request: Request) -> Json:
        return self._regulate(request, self._source(request.params["id"]), cloud=False)

    def create_cloud_regulation(self, request: Request) -> Json:
        return self._regulate(request, self._source(request.params["id"]), cloud=True)

    def _regulation(self, request: Request) -> st.Regulation:
        found = self.state.regulation(request.params["id"])
        if found is None:
            raise ApiError(404, f"regulation {request.params['id']!r} not found")
        return found

    def list_regulations(self, request: Request) -> Json:
        regs = self.state.regulations
        if status := request.arg("status"):
            regs = [r for r in regs if r.status == status]
        if kinds := request.arg("regulationTypes"):
            regs = [r for r in regs if r.type in kinds.split(",")]
        items = [{"id": r.id, "subjectType": r.subject_type, "subjects": list(r.subject_ids),
                  "status": r.status, "createdAt": r.create_time} for r in regs]
        return self.page(request, "regulations", items)

    def get_regulation(self, request: Request) -> Json:
        reg = self._regulation(request)
        status = reg.poll()
        return {"regulation": {"id": reg.id, "workspaceId": self.state.workspace.id, "overallStatus": status,
                               "finishedAt": reg.create_time if status == "FINISHED" else "",
                               "createdAt": reg.create_time, "streamStatus": []}}

    def delete_regulation(self, request: Request) -> Json:
        reg = self._regulation(request)
        if reg.status != "INITIALIZED":
            raise ApiError(422, "only initialized regulations can be deleted")
        self.state.regulations.remove(reg)
        return SUCCESS

    def list_suppressions(self, request: Request) -> Json:
        items = [{"subjectType": kind, "subjectIds": list(ids)} for kind, ids in self.state.suppressed]
        return self.page(request, "suppressed", items)


# --- helpers -----------------------------------------------------------------------------------------


def _mask(value: Json) -> Json:
    """Secret settings come back masked, keeping the last four characters."""
    text = str(value)
    return "•" * max(len(text) - 4, 0) + text[-4:]


def _body(request: Request, *, required: dict[str, Any] | None = None,
          optional: dict[str, Any] | None = None) -> dict[str, Json]:
    """The JSON body, checked like a schema: known keys only, required ones present, types right."""
    body = request.json()
    if not isinstance(body, dict):
        raise ApiError(422, "the body must be a JSON object")
    known = {**(required or {}), **(optional or {})}
    for key in body:
        if key not in known:
            raise ApiError(422, f"unknown field {key!r}", key)
    for key in required or {}:
        if key not in body:
            raise ApiError(422, f"{key} is required", key)
    for key, value in body.items():
        kinds = known[key]
        if not isinstance(value, kinds) or (kinds is int and isinstance(value, bool)):
            raise ApiError(422, f"{key} has the wrong type", key)
    return body


def _actions(actions: list[Json]) -> list[Json]:
    out = []
    for action in actions:
        if not isinstance(action, dict) or action.get("type") not in _ACTION_TYPES:
            raise ApiError(422, f"invalid filter action {action!r}", "actions")
        fields = action.get("fields")
        if fields is not None and not all(isinstance(v, list) for v in fields.values()):
            raise ApiError(422, "action fields map objects to lists of names", "actions")
        unknown = set(action) - {"type", "fields", "percent", "path"}
        if unknown:
            raise ApiError(422, f"unknown action field {sorted(unknown)[0]!r}", "actions")
        out.append(dict(action))
    return out


def _rule_list(rules: list[Json]) -> list[st.Rule]:
    out = []
    for rule in rules:
        if not isinstance(rule, dict) or rule.get("type") not in _RULE_TYPES:
            raise ApiError(422, f"invalid rule {rule!r}", "rules")
        if not isinstance(rule.get("jsonSchema"), dict) or not isinstance(rule.get("version"), (int, float)):
            raise ApiError(422, "every rule needs jsonSchema and version", "rules")
        unknown = set(rule) - {"type", "key", "jsonSchema", "version"}
        if unknown:
            raise ApiError(422, f"unknown rule field {sorted(unknown)[0]!r}", "rules")
        out.append(st.Rule(rule["type"], str(rule.get("key") or ""), rule["jsonSchema"], int(rule["version"])))
    return out

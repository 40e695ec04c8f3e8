"""Declarative HTTP clients: an annotation that takes a path declares a
client's request (Retrofit, Spring's OpenFeign and HTTP interfaces,
MicroProfile's REST client, uplink), not a route of the file's own
server, whose paths stay unreported (`test_not_calls`)."""

from __future__ import annotations

import pytest

from migrator.audit.core import Auditor
from migrator.ruleset import RuleSet


def found(rules: RuleSet, path: str, source: str, precise: bool = False) -> list[tuple[int, str, str]]:
    auditor = Auditor(rules, codemod="auto" if precise else None)
    return [(f.line, f.rule, f.fix or "") for f in auditor.scan(path, source.encode()).findings
            if f.rule != "pagination.params"]


RETROFIT = """\
import retrofit2.http.*

interface SegmentConfigService {
    @GET("workspaces/{workspace}/sources")
    suspend fun listSources(@Path("workspace") workspace: String): SourcePage

    @DELETE("workspaces/{workspace}/sources/{source}/destinations/{destination}")
    suspend fun deleteDestination(@Path("workspace") ws: String, @Path("source") src: String, @Path("destination") dst: String)

    @POST("access-tokens")
    suspend fun mintToken(@Header("Authorization") basic: String, @Body body: TokenRequest): TokenResponse

    @GET("catalog/destinations")
    suspend fun catalogDestinations(): CatalogPage
}

val service = Retrofit.Builder().baseUrl("https://platform.segmentapis.com/v1beta/").build()
"""


def test_retrofits_paths_are_requests(real_rules: RuleSet) -> None:
    """Retrofit's verb annotations take the path (JAX-RS's `@GET` never
    does): each is a request of its method; a path outside workspaces is
    one when the file writes the Config base its client is built with."""
    assert found(real_rules, "SegmentConfigService.kt", RETROFIT) == [
        (4, "endpoint.sources.list", ""),
        (7, "endpoint.destinations.delete", ""),
        (10, "endpoint.access-tokens.create", ""),
        (13, "endpoint.catalog.destinations.list", ""),
        (17, "host.base-url", ""),
    ]
    alone = RETROFIT.replace("/v1beta/", "/")  # the base elsewhere: only the paths of workspaces and `v1beta/` tell
    assert [line for line, _, _ in found(real_rules, "SegmentConfigService.kt", alone)] == [4, 7, 17]
    versioned = alone.replace('("access-tokens")', '("v1beta/access-tokens")')
    assert (10, "endpoint.access-tokens.create", "") in found(real_rules, "S.kt", versioned)


FEIGN = """\
import org.springframework.cloud.openfeign.FeignClient;
import org.springframework.web.bind.annotation.*;

@FeignClient(
    name = "segment-config",
    url = "${segment.config.url:https://platform.segmentapis.com/v1beta}"
)
public interface SegmentFeign {
    @GetMapping("/workspaces/{ws}/sources")
    SourcePage listSources(@PathVariable("ws") String ws);

    @DeleteMapping("/workspaces/{ws}/sources/{src}")
    void deleteSource(@PathVariable("ws") String ws, @PathVariable("src") String src);

    @PutMapping("/workspaces/{ws}/tracking-plans/{plan}")
    TrackingPlan updatePlan(@PathVariable("ws") String ws, @PathVariable("plan") String plan, @RequestBody Map<String, Object> body);
}
"""


def test_the_mappings_of_a_feign_client_are_requests(real_rules: RuleSet) -> None:
    """Spring's mappings inside an interface annotated `@FeignClient`, each of
    the method its annotation names (a `@RestController`'s are routes)."""
    assert found(real_rules, "SegmentFeign.java", FEIGN) == [
        (6, "host.base-url", ""),
        (9, "endpoint.sources.list", ""),
        (12, "endpoint.sources.delete", ""),
        (15, "endpoint.tracking-plans.update", ""),
    ]
    controller = FEIGN.replace("@FeignClient(", "@RestController(").replace("interface", "class")
    assert found(real_rules, "SourcesController.java", controller) == [(6, "host.base-url", "")]


def test_a_spring_http_interface_declares_requests(real_rules: RuleSet) -> None:
    source = (
        '@HttpExchange("https://platform.segmentapis.com/v1beta")\n'
        "public interface Segment {\n"
        '    @GetExchange("/workspaces/{ws}/sources")\n'
        '    SourcePage list(@PathVariable String ws);\n'
        '    @DeleteExchange("/workspaces/{ws}/sources/{src}")\n'
        '    void delete(@PathVariable String ws, @PathVariable String src);\n'
        "}\n"
    )
    assert found(real_rules, "Segment.java", source) == [
        (1, "host.base-url", ""), (3, "endpoint.sources.list", ""), (5, "endpoint.sources.delete", ""),
    ]


MICROPROFILE = """\
@RegisterRestClient(baseUri = "https://platform.segmentapis.com/v1beta")
@Path("/workspaces/{ws}/sources")
public interface SegmentRest {
    @GET
    SourcePage list(@PathParam("ws") String ws);
}
"""


def test_a_microprofile_clients_path_is_a_request_a_jax_rs_resources_a_route(real_rules: RuleSet) -> None:
    """JAX-RS's `@Path` is a client's on an interface annotated
    `@RegisterRestClient`, else a resource's route."""
    assert found(real_rules, "SegmentRest.java", MICROPROFILE) == [
        (1, "host.base-url", ""), (2, "endpoint.sources.list", ""),
    ]
    resource = MICROPROFILE.replace('@RegisterRestClient(baseUri = "https://platform.segmentapis.com/v1beta")\n', "")
    assert found(real_rules, "SourcesResource.java", resource.replace("interface", "class")) == []


UPLINK = """\
import uplink


class SegmentConfig(uplink.Consumer):
    @uplink.get("v1beta/workspaces/{workspace}/sources")
    def list_sources(self, workspace, page_size: uplink.Query = 100): ...

    @uplink.delete("v1beta/workspaces/{workspace}/sources/{source}")
    def delete_source(self, workspace, source): ...


client = SegmentConfig(base_url="https://platform.segmentapis.com/")
"""


def test_uplinks_decorators_are_requests_the_rewrite_marks_holding_the_base(real_rules: RuleSet) -> None:
    """The text scanner reports the paths; the codemod marks them (it does
    not move declared paths) and holds the Consumer's base with them: no
    finding is fixable by rewrite, since moving the base alone would send
    the Config paths to the Public host."""
    assert found(real_rules, "uplink_client.py", UPLINK) == [
        (5, "endpoint.sources.list", ""), (8, "endpoint.sources.delete", ""), (12, "host.base-url", ""),
    ]
    assert found(real_rules, "uplink_client.py", UPLINK, precise=True) == [
        (5, "rewrite.partial-path", "manual"),
        (8, "rewrite.partial-path", "manual"),
        (12, "rewrite.partial-path", "manual"),
    ]
    imported = UPLINK.replace("import uplink\n", "import uplink\nfrom uplink import get\n").replace("@uplink.get", "@get")
    assert [line for line, _, _ in found(real_rules, "c.py", imported)] == [6, 9, 13]


def test_uplinks_paths_left_on_v1beta_after_the_base_moved_are_reported(real_rules: RuleSet) -> None:
    """A rewrite of an earlier version moved the Consumer's base alone: the
    paths that now go to the Public host with `v1beta/` are a person's."""
    moved = UPLINK.replace("platform.segmentapis.com", "api.segmentapis.com")
    assert found(real_rules, "uplink_client.py", moved, precise=True) == [
        (5, "rewrite.partial-path", "manual"), (8, "rewrite.partial-path", "manual"),
    ]


@pytest.mark.parametrize("precise", [False, True])
def test_a_declarative_client_of_another_api_is_left_alone(real_rules: RuleSet, precise: bool) -> None:
    source = (
        "import uplink\n\n\nclass GitHub(uplink.Consumer):\n"
        '    @uplink.get("repos/{owner}/{repo}/issues")\n    def issues(self, owner, repo): ...\n'
    )
    assert found(real_rules, "github.py", source, precise) == []
    kotlin = 'interface GitHub {\n    @GET("repos/{owner}/{repo}/issues")\n    suspend fun issues(): List<Issue>\n}\n'
    assert found(real_rules, "GitHub.kt", kotlin) == []


def test_a_controllers_routes_stay_routes_beside_a_client_nested_in_it(real_rules: RuleSet) -> None:
    """A `@FeignClient` interface nested in a `@RestController` closes before
    the controller's own routes: the proxy's `/v1beta/workspaces/{ws}/sources`
    is the service's route, not a Config request (rt8 #6a)."""
    source = (
        "@RestController\n"
        '@RequestMapping("/v1beta")\n'
        "public class ProxyController {\n"
        '  @FeignClient(name = "segment", url = "https://api.segmentapis.com")\n'
        "  interface Segment {\n"
        '    @GetMapping("/sources")\n'
        "    Map<String, Object> sources();\n"
        "  }\n"
        "\n"
        '  @GetMapping("/workspaces/{ws}/sources")\n'
        "  public Map<String, Object> sources(@PathVariable String ws) { return segment.sources(); }\n"
        "}\n"
    )
    assert found(real_rules, "ProxyController.java", source) == []


def test_all_caps_verbs_of_a_server_framework_are_routes(real_rules: RuleSet) -> None:
    """Only Retrofit's (and Ktorfit's) `@GET("...")` is a client's: Jooby's, of
    the same name, declares the service's route (rt8 #6b)."""
    jooby = ('import io.jooby.annotation.GET;\n\npublic class Sources {\n'
             '  @GET("/workspaces/{ws}/sources")\n  public Object list(String ws) { return null; }\n}\n')
    assert found(real_rules, "Sources.java", jooby) == []
    retrofit = jooby.replace("io.jooby.annotation.GET", "retrofit2.http.GET").replace('"/workspaces', '"v1beta/workspaces')
    assert [rule for _, rule, _ in found(real_rules, "Sources.java", retrofit)] == ["endpoint.sources.list"]


MICRONAUT = """\
import io.micronaut.http.annotation.*;
import io.micronaut.http.client.annotation.Client;

@Client("https://platform.segmentapis.com/v1beta")
public interface SegmentClient {
    @Get("/workspaces/{ws}/sources")
    SourcePage listSources(String ws);

    @Delete("/workspaces/{ws}/sources/{src}")
    void deleteSource(String ws, String src);

    @Post("/access-tokens")
    TokenResponse mintToken(@Body TokenRequest body);
}
"""


def test_a_micronaut_clients_verbs_are_requests_a_controllers_routes(real_rules: RuleSet) -> None:
    """Micronaut's `@Get("...")` declares a request in an interface annotated
    `@Client` (Micronaut's, imported), a route in a `@Controller`."""
    assert found(real_rules, "SegmentClient.java", MICRONAUT) == [
        (4, "host.base-url", ""),
        (6, "endpoint.sources.list", ""),
        (9, "endpoint.sources.delete", ""),
        (12, "endpoint.access-tokens.create", ""),
    ]
    controller = MICRONAUT.replace('@Client("https://platform.segmentapis.com/v1beta")', '@Controller("/api")')
    assert found(real_rules, "SourcesController.java", controller.replace("interface", "class")) == []
    # `@Client` of a file that does not import Micronaut's is no client's annotation
    other = controller.replace('@Controller("/api")', "@Client").replace("io.micronaut.http.client", "com.example")
    assert found(real_rules, "Sources.java", other.replace("interface", "class")) == []


RETROFIT_HTTP = """\
import retrofit2.http.*

interface SegmentConfigService {
    @HTTP(method = "DELETE", path = "workspaces/{ws}/sources/{s}", hasBody = true)
    suspend fun deleteSource(@Path("ws") ws: String, @Path("s") s: String, @Body body: Any)

    @HTTP(path = "workspaces/{ws}/sources/{s}", method = "PATCH", hasBody = true)
    suspend fun updateSource(@Path("ws") ws: String, @Path("s") s: String, @Body body: Any)

    @HTTP(method = "POST", path = "access-tokens", hasBody = true)
    suspend fun mintToken(@Body body: TokenRequest): TokenResponse

    @HTTP(method = "GET", path = "catalog/destinations")
    suspend fun catalogDestinations(): CatalogPage
}

val service = Retrofit.Builder().baseUrl("https://platform.segmentapis.com/v1beta/").build()
"""


def test_retrofits_http_annotation_is_a_request_of_its_method(real_rules: RuleSet) -> None:
    """Retrofit's `@HTTP(method = ..., path = ...)`: the path is a request of
    the method it names, outside workspaces too when the file writes the
    Config base; in a file that does not import Retrofit (or Ktorfit), a path
    outside workspaces is not read as one."""
    assert found(real_rules, "SegmentConfigService.kt", RETROFIT_HTTP) == [
        (4, "endpoint.sources.delete", ""),
        (7, "endpoint.sources.update", ""),
        (10, "endpoint.access-tokens.create", ""),
        (13, "endpoint.catalog.destinations.list", ""),
        (17, "host.base-url", ""),
    ]
    other = RETROFIT_HTTP.replace("import retrofit2.http.*", "import com.example.http.*")
    assert [line for line, _, _ in found(real_rules, "Other.kt", other)] == [4, 7, 17]


UPLINK_KEYWORD = UPLINK.replace('.get("', '.get(uri="').replace('    @uplink.delete("', '    @delete(uri="').replace(
    "import uplink\n", "import uplink\nfrom uplink import delete\n")


def test_uplinks_decorators_given_the_path_by_keyword_are_requests(real_rules: RuleSet) -> None:
    """`@uplink.get(uri="...")`, `@delete(uri="...")`: the path is a request
    of the decorator's method, as given by position; the codemod marks it
    as a declared path and holds the base with it (none fixable by rewrite)."""
    assert found(real_rules, "uplink_client.py", UPLINK_KEYWORD) == [
        (6, "endpoint.sources.list", ""), (9, "endpoint.sources.delete", ""), (13, "host.base-url", ""),
    ]
    precise = Auditor(real_rules, codemod="auto").scan("uplink_client.py", UPLINK_KEYWORD.encode()).findings
    assert [(f.line, f.rule, f.fix, "declares" in f.message) for f in precise] == [
        (6, "rewrite.partial-path", "manual", True),
        (9, "rewrite.partial-path", "manual", True),
        (13, "rewrite.partial-path", "manual", False),
    ]

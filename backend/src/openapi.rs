//! The API description served at `GET /api/openapi.json` (OpenAPI 3.1, readable without login).
//!
//! Built with utoipa's builder API rather than derived, because the form routes are generic:
//! `forms::store::{submit, list, read, edit, versions}::<K>` are mounted once per [`FormKind`],
//! so the paths are made here by one generic function called once per kind, from the kind's
//! own `PATH` and `KIND`. A form's request body is described by its example from `examples/`
//! (the same file `backend check` is tested on), with the unit set to a demo unit id.

use std::sync::OnceLock;

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use serde_json::Value;
use utoipa::openapi::path::{HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::schema::{
    ArrayBuilder, ComponentsBuilder, KnownFormat, ObjectBuilder, SchemaFormat, SchemaType, Type,
};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityRequirement, SecurityScheme};
use utoipa::openapi::tag::TagBuilder;
use utoipa::openapi::{
    ContentBuilder, HeaderBuilder, InfoBuilder, OpenApi, OpenApiBuilder, PathItem, PathsBuilder,
    Ref, RefOr, Required, ResponseBuilder, Schema,
};

use crate::AppState;
use crate::forms::FormKind;
use crate::forms::kinds::*;
use crate::forms::store::MAX_LIST;

pub fn routes() -> Router<AppState> {
    Router::new().route("/openapi.json", get(serve))
}

/// `GET /api/openapi.json`.
async fn serve() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], json())
}

/// The description as JSON, made once.
pub fn json() -> &'static str {
    static JSON: OnceLock<String> = OnceLock::new();
    JSON.get_or_init(|| {
        document()
            .to_json()
            .expect("the API description serialises")
    })
}

/// The name of the session security scheme.
const SESSION: &str = "session";
const JSON_TYPE: &str = "application/json";

/// The whole API description.
pub fn document() -> OpenApi {
    let mut paths = PathsBuilder::new();
    paths = health(paths);
    paths = auth(paths);
    for kind in kinds() {
        paths = (kind.paths)(paths, &kind);
    }
    paths = placeholders(paths);
    paths = rule_tables(paths);
    paths = sync(paths);
    let mut tags = vec![
        tag("health", "Liveness"),
        tag(
            "session",
            "Login and logout: a session cookie (HttpOnly, SameSite=Strict)",
        ),
        tag("audit", "The audit log (admins)"),
    ];
    tags.extend(kinds().iter().map(|k| tag(k.path, k.title)));
    tags.push(tag(
        "views",
        "Views computed over stored records: warnings, completeness, ranking, statistics",
    ));
    tags.push(tag("export", "CSV and XLSX exports"));
    tags.push(tag(
        "rules",
        "The yearly rule tables — working-day calendar, town rubric, monthly themes — published \
         as data, versioned and audited",
    ));
    tags.push(tag(
        "sync",
        "The change feed an account's app replicates from (issue #17)",
    ));
    OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("家家 (jiajia) API")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(
                    "Forms and scoring for the women's federations. Every form is submitted once \
                     by its client-made id (a retry is answered from storage), edited only as a \
                     new version (If-Match), and read within the user's org units; the server \
                     re-checks every form with the same rules as the app (`shared`). Dates are \
                     China Standard Time calendar dates (YYYY-MM-DD). Errors share one body \
                     (`Error`); field errors name the field as a JSON path, e.g. \
                     `parties[0].phone`, at most 100 in one answer (the message counts the \
                     rest). Every `/api/` answer carries `Cache-Control: no-store`. When the \
                     database cannot be written, anything that writes (logins, forms, and the \
                     reads that are audited) is `507 storage_full` (disk full) or \
                     `503 storage_unavailable`, with `Retry-After`: nothing was stored, send \
                     again later. A body that does not arrive within the server's body \
                     timeout is `408 body_timeout`; past the connection cap a new connection \
                     gets `503 busy`.",
                )),
        )
        .paths(paths.build())
        .components(Some(components()))
        .security(Some([SecurityRequirement::new::<_, [&str; 0], &str>(
            SESSION,
            [],
        )]))
        .tags(Some(tags))
        .build()
}

fn tag(name: &str, description: &str) -> utoipa::openapi::tag::Tag {
    TagBuilder::new()
        .name(name)
        .description(Some(description))
        .build()
}

fn schema_ref(name: &str) -> RefOr<Schema> {
    Ref::from_schema_name(name).into()
}

fn string(description: &str) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
}

fn nullable(t: Type, description: &str) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type([t, Type::Null].into_iter().collect::<SchemaType>())
        .description(Some(description))
}

fn integer(description: &str) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
        .description(Some(description))
}

fn array_of(item: impl Into<RefOr<Schema>>) -> ArrayBuilder {
    ArrayBuilder::new().items(item.into())
}

fn json_content(schema: impl Into<RefOr<Schema>>) -> ContentBuilder {
    ContentBuilder::new().schema(Some(schema.into()))
}

/// A response with a JSON body of `schema`.
fn answer(description: &str, schema: impl Into<RefOr<Schema>>) -> ResponseBuilder {
    ResponseBuilder::new()
        .description(description)
        .content(JSON_TYPE, json_content(schema).build())
}

/// An error response: the `Error` body.
fn error(description: &str) -> ResponseBuilder {
    answer(description, schema_ref("Error"))
}

fn components() -> utoipa::openapi::schema::Components {
    let field_error = ObjectBuilder::new()
        .description(Some(
            "One field's problem, shown under the field by the app.",
        ))
        .property(
            "field",
            string(
                "JSON path of the field, e.g. `parties[0].phone`; the query key for list filters",
            ),
        )
        .property(
            "code",
            string("Stable code of the problem, e.g. `required`, `future_date`, `invalid_phone`"),
        )
        .property("message", string("Chinese message, naming the field"))
        .property("message_en", string("English message, naming the field"))
        .required("field")
        .required("code")
        .required("message")
        .required("message_en");
    let codes = [
        "bad_json",
        "invalid",
        "too_large",
        "not_json",
        "conflict",
        "stale_version",
        "version_required",
        "not_found",
        "unauthorized",
        "bad_login",
        "forbidden",
        "too_many_attempts",
        "internal",
    ];
    let error = ObjectBuilder::new()
        .description(Some(
            "Every error answer. 4xx: retrying the same request will not help; 5xx: it may.",
        ))
        .property(
            "error",
            string("What went wrong, as a stable code").enum_values(Some(codes)),
        )
        .property("message", string("Chinese message"))
        .property("message_en", string("English message"))
        .property(
            "fields",
            array_of(schema_ref("FieldError"))
                .description(Some("Field errors (422 `invalid`); empty otherwise")),
        )
        .required("error")
        .required("message")
        .required("message_en")
        .required("fields");
    let stored = ObjectBuilder::new()
        .description(Some(
            "A record as stored: the checked record, what the rules say of it today, and its \
             place in the store.",
        ))
        .property(
            "record",
            ObjectBuilder::new().description(Some(
                "The checked record: the form as parsed and normalised by the server",
            )),
        )
        .property(
            "assessment",
            ObjectBuilder::new()
                .schema_type(SchemaType::AnyValue)
                .description(Some(
                    "What the rules compute from the record as of today (risk level and \
                     warnings, case deadlines, scores, …); recomputed on every read; null for \
                     kinds that compute nothing",
                )),
        )
        .property("version", integer("Version number, 1 for the first"))
        .property("unit", string("Org unit id the record belongs to"))
        .property(
            "received_at",
            string("When the server stored this version (RFC 3339, UTC)")
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime))),
        )
        .property(
            "author",
            nullable(Type::String, "Username of whoever wrote this version"),
        )
        .required("record")
        .required("assessment")
        .required("version")
        .required("unit")
        .required("received_at")
        .required("author");
    let login = ObjectBuilder::new()
        .property("username", string("Username (case-insensitive)"))
        .property("password", string("Password"))
        .required("username")
        .required("password");
    let roles = ["village", "town", "city", "admin"];
    let user = ObjectBuilder::new()
        .property("id", integer("User id"))
        .property("username", string("Username"))
        .property("display_name", string("Name shown in the app"))
        .property("role", string("Role").enum_values(Some(roles)))
        .property(
            "unit",
            string("The user's org unit; they see it and every unit below it"),
        )
        .required("id")
        .required("username")
        .required("display_name")
        .required("role")
        .required("unit");
    let unit = ObjectBuilder::new()
        .property("id", string("Unit id: its path, e.g. `rugao/baipu/linzi`"))
        .property("name", string("Name, e.g. 林梓村"))
        .property(
            "level",
            string("Level").enum_values(Some(["city", "town", "village"])),
        )
        .property("parent", nullable(Type::String, "Parent unit id"))
        .required("id")
        .required("name")
        .required("level")
        .required("parent");
    let me = ObjectBuilder::new()
        .property("user", schema_ref("User"))
        .property(
            "units",
            array_of(schema_ref("OrgUnit"))
                .description(Some("The units the user may work in, parents first")),
        )
        .required("user")
        .required("units");
    let logged_in = ObjectBuilder::new()
        .property("user", schema_ref("User"))
        .property(
            "units",
            array_of(schema_ref("OrgUnit"))
                .description(Some("The units the user may work in, parents first")),
        )
        .property(
            "vault_secret",
            string(
                "The account's device-vault secret (32 bytes, hex): the app wraps the key of \
                 the encrypted data it keeps on the device under it besides the password, so \
                 that after a password change the next online login re-wraps it. The same at \
                 every login; given only here.",
            ),
        )
        .required("user")
        .required("units")
        .required("vault_secret");
    let audit = ObjectBuilder::new()
        .property("seq", integer("Position in the log; page with `after`"))
        .property("at", string("When (RFC 3339, UTC)"))
        .property("user_id", nullable(Type::Integer, "Who, if known"))
        .property("username", nullable(Type::String, "Who, if known"))
        .property(
            "action",
            string("create, edit, read, sync, export, login, login_failed, logout, publish, …"),
        )
        .property("kind", nullable(Type::String, "Record kind, e.g. `visit`"))
        .property("record", nullable(Type::String, "Record id"))
        .property(
            "detail",
            nullable(
                Type::String,
                "E.g. `version 2`, or the ids of sensitive records read in a list or a sync page",
            ),
        )
        .required("seq")
        .required("at")
        .required("action");
    let health = ObjectBuilder::new()
        .property(
            "status",
            string(
                "`ok`, or (503) why the database cannot be written: `storage_full` (disk \
                 full) or `storage_unavailable` (read-only, I/O errors); the cause is logged",
            )
            .enum_values(Some(["ok", "storage_full", "storage_unavailable"])),
        )
        .required("status");
    let published = ObjectBuilder::new()
        .description(Some(
            "One rule table (calendar, rubric or themes) as published or built in.",
        ))
        .property(
            "kind",
            string("calendar, rubric or themes")
                .enum_values(Some(["calendar", "rubric", "themes"])),
        )
        .property("year", integer("The year asked for"))
        .property(
            "table_year",
            nullable(
                Type::Integer,
                "The year the table was made for: `year`, or an earlier year in force because \
                 `year` has none of its own (rubric, themes)",
            ),
        )
        .property(
            "version",
            integer("1, 2, …; 0 for a built-in table never published"),
        )
        .property("builtin", ObjectBuilder::new().schema_type(Type::Boolean))
        .property(
            "published_at",
            nullable(Type::String, "When (RFC 3339, UTC)"),
        )
        .property(
            "published_by",
            nullable(Type::String, "Who (username); null from the CLI"),
        )
        .property("reason", nullable(Type::String, "Why it changed"))
        .property(
            "changed",
            ObjectBuilder::new()
                .schema_type(Type::Boolean)
                .description(Some(
                    "Only in a PUT's answer: whether a new version was made",
                )),
        )
        .property(
            "table",
            ObjectBuilder::new()
                .schema_type(Type::Object)
                .description(Some("The table in the shape of its file")),
        )
        .required("kind")
        .required("year")
        .required("version")
        .required("builtin")
        .required("table");
    let mut c = sync_schemas(ComponentsBuilder::new())
        .schema("PublishedTable", published)
        .schema("FieldError", field_error)
        .schema("Error", error)
        .schema("Stored", stored)
        .schema("Login", login)
        .schema("User", user)
        .schema("OrgUnit", unit)
        .schema("Me", me)
        .schema("LoggedIn", logged_in)
        .schema("AuditEntry", audit)
        .schema("Health", health)
        .security_scheme(
            SESSION,
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                "jiajia",
                "Session cookie set by POST /api/login (named `__Host-jiajia` when the server \
                 runs with --secure-cookies). Idle sessions end after 12 hours, all after 7 days.",
            ))),
        );
    for kind in kinds() {
        c = c.schema(
            kind.input_schema(),
            ObjectBuilder::new()
                .description(Some(format!(
                    "{} as typed: text, numbers typed by people and dates are strings, choices \
                     are codes, missing fields count as empty, unknown fields are refused. `id` \
                     is a UUID the client makes; it makes a submission idempotent.",
                    kind.title
                )))
                .property(
                    "id",
                    string("Client-made UUID").format(Some(SchemaFormat::Custom("uuid".into()))),
                )
                .required("id")
                .additional_properties(Some(ObjectBuilder::new().schema_type(SchemaType::AnyValue)))
                .examples([kind.example()]),
        );
    }
    c.build()
}

fn health(paths: PathsBuilder) -> PathsBuilder {
    let op = OperationBuilder::new()
        .tag("health")
        .operation_id(Some("health"))
        .summary(Some("The server is up and can write its database"))
        .securities(Some([]))
        .response("200", answer("Up", schema_ref("Health")))
        .response(
            "503",
            answer(
                "Up, but the database cannot be written",
                schema_ref("Health"),
            ),
        );
    paths.path("/healthz", PathItem::new(HttpMethod::Get, op))
}

fn auth(paths: PathsBuilder) -> PathsBuilder {
    let set_cookie = HeaderBuilder::new()
        .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
        .description(Some(
            "`jiajia=<token>; HttpOnly; SameSite=Strict; Path=/; Max-Age=604800`",
        ))
        .build();
    let login = OperationBuilder::new()
        .tag("session")
        .operation_id(Some("login"))
        .summary(Some("Log in: checks the password and starts a session"))
        .securities(Some([]))
        .request_body(Some(
            RequestBodyBuilder::new()
                .required(Some(Required::True))
                .content(JSON_TYPE, json_content(schema_ref("Login")).build())
                .build(),
        ))
        .response(
            "200",
            answer(
                "Logged in: the user, their units and the vault secret",
                schema_ref("LoggedIn"),
            )
            .header("set-cookie", set_cookie),
        )
        .response(
            "401",
            error("`bad_login`: wrong username or password (one answer for both)"),
        )
        .response(
            "429",
            error(
                "`too_many_attempts`: too many failed logins for the account or the address \
                 (successful logins do not count; behind a `--trusted-proxy` the address is \
                 the client's, from X-Forwarded-For)",
            )
            .header(
                "retry-after",
                HeaderBuilder::new()
                    .schema(Some(ObjectBuilder::new().schema_type(Type::Integer)))
                    .description(Some("Seconds to wait"))
                    .build(),
            ),
        )
        .response(
            "503",
            error("`storage_unavailable`: the database cannot be written (Retry-After)"),
        )
        .response(
            "507",
            error("`storage_full`: the server's disk is full (Retry-After)"),
        );
    let logout = OperationBuilder::new()
        .tag("session")
        .operation_id(Some("logout"))
        .summary(Some("End the session; the cookie is cleared either way"))
        .securities(Some([]))
        .response("204", ResponseBuilder::new().description("Logged out"));
    let me = OperationBuilder::new()
        .tag("session")
        .operation_id(Some("me"))
        .summary(Some("The logged-in user and the units they may work in"))
        .response("200", answer("The user", schema_ref("Me")))
        .response("401", error("`unauthorized`: no session, or it has ended"));
    let audit = OperationBuilder::new()
        .tag("audit")
        .operation_id(Some("audit"))
        .summary(Some("The audit log, oldest first (admins only)"))
        .parameter(query(
            "after",
            Type::Integer,
            "Entries after this `seq` (default 0)",
        ))
        .parameter(query(
            "limit",
            Type::Integer,
            "At most this many (default 1000, at most 10000)",
        ))
        .response("200", answer("Entries", array_of(schema_ref("AuditEntry"))))
        .response("401", error("`unauthorized`"))
        .response("403", error("`forbidden`: not an admin"))
        .response(
            "422",
            error("`invalid`: `after` or `limit` out of range or not a number, named"),
        );
    let openapi = OperationBuilder::new()
        .tag("health")
        .operation_id(Some("openapi"))
        .summary(Some("This description"))
        .securities(Some([]))
        .response(
            "200",
            answer(
                "OpenAPI 3.1 document",
                ObjectBuilder::new().schema_type(Type::Object),
            ),
        );
    paths
        .path("/api/login", PathItem::new(HttpMethod::Post, login))
        .path("/api/logout", PathItem::new(HttpMethod::Post, logout))
        .path("/api/me", PathItem::new(HttpMethod::Get, me))
        .path("/api/audit", PathItem::new(HttpMethod::Get, audit))
        .path("/api/openapi.json", PathItem::new(HttpMethod::Get, openapi))
}

fn query(name: &str, t: Type, description: &str) -> ParameterBuilder {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Query)
        .required(Required::False)
        .schema(Some(ObjectBuilder::new().schema_type(t)))
        .description(Some(description))
}

fn enum_query(name: &str, values: &[&str], description: &str) -> ParameterBuilder {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Query)
        .required(Required::False)
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(values.iter().copied())),
        ))
        .description(Some(description))
}

fn date_query(name: &str, description: &str) -> ParameterBuilder {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Query)
        .required(Required::False)
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date))),
        ))
        .description(Some(description))
}

fn id_param() -> ParameterBuilder {
    ParameterBuilder::new()
        .name("id")
        .parameter_in(ParameterIn::Path)
        .required(Required::True)
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::Custom("uuid".into()))),
        ))
        .description(Some("The record's id"))
}

/// What the description says of one form kind besides what its [`FormKind`] says.
pub struct KindDoc {
    /// `FormKind::PATH`, also the tag.
    pub path: &'static str,
    /// `FormKind::KIND`.
    pub kind: &'static str,
    pub title: &'static str,
    /// An `examples/` file; its `form` (or, for town assessments, its first town) is the
    /// request example.
    example: &'static str,
    /// The demo unit the example is moved to (examples name units by name, the API by id).
    unit: &'static str,
    /// The field naming the unit.
    unit_field: &'static str,
    /// Values of the `status` and `category` list filters; empty when the kind has none.
    statuses: Vec<&'static str>,
    categories: Vec<&'static str>,
    /// Who may write, when not everyone may.
    writers: &'static str,
    paths: fn(PathsBuilder, &KindDoc) -> PathsBuilder,
}

impl KindDoc {
    fn of<K: FormKind>(
        title: &'static str,
        example: &'static str,
        unit: &'static str,
        statuses: Vec<&'static str>,
        categories: Vec<&'static str>,
        writers: &'static str,
    ) -> Self {
        KindDoc {
            path: K::PATH,
            kind: K::KIND,
            title,
            example,
            unit,
            unit_field: K::unit_field(),
            statuses,
            categories,
            writers,
            paths: form_paths,
        }
    }

    fn input_schema(&self) -> String {
        let mut name = String::new();
        for part in self.kind.split('_') {
            let mut chars = part.chars();
            if let Some(first) = chars.next() {
                name.extend(first.to_uppercase());
                name.push_str(chars.as_str());
            }
        }
        name + "Input"
    }

    /// The request example: the example file's form, with a demo unit id.
    pub fn example(&self) -> Value {
        let file: Value = serde_json::from_str(self.example).unwrap_or(Value::Null);
        let form = &file["form"];
        let mut form = form
            .get("towns")
            .and_then(|t| t.get(0))
            .unwrap_or(form)
            .clone();
        if form.get(self.unit_field).is_some() {
            form[self.unit_field] = Value::from(self.unit);
        }
        form
    }
}

/// Every form kind, in the order of SPEC §2.
pub fn kinds() -> Vec<KindDoc> {
    use shared::case::{RightsArea, Stage};
    use shared::standards::Standard;
    use shared::visit::Category;
    let stages: Vec<&str> = Stage::ALL.iter().map(|s| s.code()).collect();
    let areas: Vec<&str> = RightsArea::ALL.iter().map(|a| a.code()).collect();
    vec![
        KindDoc::of::<Visit>(
            "排查登记表 (visit record, 000 附件3)",
            include_str!("../../examples/visit.json"),
            "rugao/baipu/linzi",
            vec!["open", "resolved"],
            Category::ALL.iter().map(|c| c.code()).collect(),
            "",
        ),
        KindDoc::of::<KeyPersonKind>(
            "重点关注妇女儿童 (key-person register, 000 附件2)",
            include_str!("../../examples/key_person.json"),
            "rugao/baipu/linzi",
            vec![],
            vec!["woman", "child", "both"],
            "",
        ),
        KindDoc::of::<MeetingKind>(
            "议事会会议记录 (\"1+3+N\" council meeting)",
            include_str!("../../examples/meeting.json"),
            "rugao/baipu/linzi",
            vec![],
            vec![],
            "",
        ),
        KindDoc::of::<MonthlyKind>(
            "月报 / 零上报 (monthly report)",
            include_str!("../../examples/monthly_report.json"),
            "rugao/baipu/linzi",
            vec!["zero", "report"],
            vec![],
            "",
        ),
        KindDoc::of::<CaseKind>(
            "维权个案 (rights case at a station)",
            include_str!("../../examples/rights_case.json"),
            "rugao/baipu",
            stages,
            areas,
            "",
        ),
        KindDoc::of::<SelfAssessmentKind>(
            "阵地自评 七有 / 五有 / 三有 (standards self-assessment)",
            include_str!("../../examples/self_assessment_seven.json"),
            "rugao/baipu/linzi",
            vec![],
            Standard::ALL.iter().map(|s| s.code()).collect(),
            "",
        ),
        KindDoc::of::<ModelHomeKind>(
            "示范妇女之家申报表 (model women's-home application, 003 附件2)",
            include_str!("../../examples/model_home.json"),
            "rugao/baipu/linzi",
            vec!["pending", "approved", "rejected"],
            vec![],
            "",
        ),
        KindDoc::of::<TownAssessmentKind>(
            "镇（区、街道）年度考核 (town assessment, 2018 rubric)",
            include_str!("../../examples/town_assessments.json"),
            "rugao/baipu",
            vec![],
            vec![],
            "Only city and admin users may write it (403 otherwise); the town reads its own.",
        ),
    ]
}

/// The five routes of one form kind (`routes::form::<K>`).
fn form_paths(paths: PathsBuilder, k: &KindDoc) -> PathsBuilder {
    let tag = k.path;
    let op = |id: &str, summary: String| {
        OperationBuilder::new()
            .tag(tag)
            .operation_id(Some(format!("{id}_{}", k.kind)))
            .summary(Some(summary))
    };
    let body = || {
        RequestBodyBuilder::new()
            .required(Some(Required::True))
            .content(
                JSON_TYPE,
                json_content(schema_ref(&k.input_schema()))
                    .example(Some(k.example()))
                    .build(),
            )
            .build()
    };
    let stored = || schema_ref("Stored");
    let common = |b: OperationBuilder| -> OperationBuilder {
        b.response("401", error("`unauthorized`: no session, or it has ended"))
            .response(
                "503",
                error("`storage_unavailable`: the database cannot be written (Retry-After)"),
            )
    };
    let writes = |b: OperationBuilder| -> OperationBuilder {
        b.response("408", error("`body_timeout`: the body came too slowly"))
            .response(
                "507",
                error("`storage_full`: the server's disk is full, nothing stored (Retry-After)"),
            )
    };
    let writers = if k.writers.is_empty() {
        String::new()
    } else {
        format!(" {}", k.writers)
    };

    let mut list = op("list", format!("List {}", k.title))
        .description(Some(format!(
            "Current versions within the user's units (or `unit` and below), newest first by \
             the record's own date, each with its assessment as of today.{}",
            if k.kind == Visit::KIND {
                " Listing B and C items is audited."
            } else {
                ""
            }
        )))
        .parameter(query(
            "unit",
            Type::String,
            "A unit id within the user's (default: the user's own); 404 outside",
        ))
        .parameter(date_query("from", "Record date on or after (YYYY-MM-DD)"))
        .parameter(date_query("to", "Record date on or before (YYYY-MM-DD)"));
    if !k.statuses.is_empty() {
        list = list.parameter(enum_query("status", &k.statuses, "Status"));
    }
    if !k.categories.is_empty() {
        list = list.parameter(enum_query("category", &k.categories, "Category"));
    }
    if k.kind == Visit::KIND {
        list = list.parameter(enum_query(
            "level",
            &["red", "orange", "yellow"],
            "Risk level as of today",
        ));
    }
    let list = common(
        list.parameter(query(
            "limit",
            Type::Integer,
            &format!("At most this many (default 500, 1–{MAX_LIST})"),
        ))
        .response("200", answer("The records", array_of(stored())))
        .response(
            "404",
            error("`not_found`: `unit` is outside the user's units"),
        )
        .response(
            "422",
            error("`invalid`: a bad or unknown query parameter, named in `fields`"),
        ),
    );

    let submit = writes(common(
        op("submit", format!("Submit {}", k.title))
            .description(Some(format!(
                "Stores version 1 after checking every field. The same id and the same record \
                 again (a retry) is answered from storage with 200; the same id with other \
                 content is 409 and changes nothing.{writers}"
            )))
            .request_body(Some(body()))
            .response("201", answer("Stored", stored()))
            .response("200", answer("Already stored (a retry)", stored()))
            .response("400", error("`bad_json`: the body is not JSON"))
            .response(
                "403",
                error("`forbidden`: the user's role may not write this kind"),
            )
            .response(
                "404",
                error("`not_found`: the unit (or the stored id) is outside the user's units"),
            )
            .response(
                "409",
                error("`conflict`: the id is stored with other content"),
            )
            .response("413", error("`too_large`: over 256 KiB"))
            .response(
                "415",
                error("`not_json`: Content-Type is not application/json"),
            )
            .response(
                "422",
                error("`invalid`: field errors, every one at once (at most 100 listed)"),
            ),
    ));

    let read = common(
        op("read", format!("Read one {}", k.title))
            .parameter(id_param())
            .response("200", answer("The current version", stored()))
            .response(
                "404",
                error("`not_found`: unknown, or outside the user's units"),
            ),
    );

    let edit = writes(common(
        op("edit", format!("Edit {}", k.title))
            .description(Some(format!(
                "Stores the edit as a new version; nothing is overwritten. `If-Match` names the \
                 version the edit is based on; the same content again is answered from storage.{}{writers}",
                if k.kind == CaseKind::KIND {
                    " A case's stages only move forward: recorded stages cannot change at all: \
                     date, handler, note, complexity, result and satisfaction (422 `locked`)."
                } else {
                    ""
                }
            )))
            .parameter(id_param())
            .parameter(
                ParameterBuilder::new()
                    .name("If-Match")
                    .parameter_in(ParameterIn::Header)
                    .required(Required::True)
                    .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
                    .description(Some("The version edited, e.g. `\"1\"` or `1`")),
            )
            .request_body(Some(body()))
            .response("200", answer("The new current version", stored()))
            .response("403", error("`forbidden`"))
            .response("404", error("`not_found`"))
            .response(
                "409",
                error("`stale_version`: the record has a newer version than If-Match"),
            )
            .response(
                "422",
                error("`invalid`: field errors, or the body's id is not the address's"),
            )
            .response("428", error("`version_required`: no If-Match")),
    ));

    let versions = common(
        op("versions", format!("Every version of one {}", k.title))
            .description(Some("Oldest first, each as stored then."))
            .parameter(id_param())
            .response("200", answer("The versions", array_of(stored())))
            .response("404", error("`not_found`")),
    );

    let item = |method: HttpMethod, op: OperationBuilder| PathItem::new(method, op);
    let base = format!("/api/{}", k.path);
    paths
        .path(&base, item(HttpMethod::Get, list))
        .path(&base, item(HttpMethod::Post, submit))
        .path(format!("{base}/{{id}}"), item(HttpMethod::Get, read))
        .path(format!("{base}/{{id}}"), item(HttpMethod::Put, edit))
        .path(
            format!("{base}/{{id}}/versions"),
            item(HttpMethod::Get, versions),
        )
}

/// `/api/{calendars,rubrics,themes}`: `routes/rule_tables.rs`.
fn rule_tables(mut paths: PathsBuilder) -> PathsBuilder {
    use crate::rules::TableKind;
    let year = || {
        ParameterBuilder::new()
            .name("year")
            .parameter_in(ParameterIn::Path)
            .required(Required::True)
            .schema(Some(ObjectBuilder::new().schema_type(Type::Integer)))
            .description(Some("2000–2100; anything else is 404"))
    };
    let table_body = |file: &str| {
        Some(
            RequestBodyBuilder::new()
                .required(Some(Required::True))
                .description(Some(format!(
                    "The table in the shape of `{file}`, checked by the same rules as the \
                     built-in file (field errors name what is wrong)"
                )))
                .content(
                    JSON_TYPE,
                    json_content(ObjectBuilder::new().schema_type(Type::Object)).build(),
                )
                .build(),
        )
    };
    let published = || schema_ref("PublishedTable");
    for kind in TableKind::ALL {
        let (what, file, in_force) = match kind {
            TableKind::Calendar => (
                "working-day calendar",
                "shared/data/calendar/2026.json",
                "The year's calendar: its latest published version, else the built-in one",
            ),
            TableKind::Rubric => (
                "town rubric",
                "shared/data/rubric-2018.json",
                "The rubric in force for the year: its own, else the newest before it \
                 (`table_year` says which)",
            ),
            TableKind::Themes => (
                "monthly themes",
                "shared/data/themes-2020.json (with an optional `year`)",
                "The themes in force for the year: its own, else the newest before it, else the \
                 built-in 2020 table",
            ),
        };
        let name = kind.code();
        let base = format!("/api/{}", kind.path());
        let list = OperationBuilder::new()
            .tag("rules")
            .operation_id(Some(format!("{name}_list")))
            .summary(Some(format!(
                "Every {what} in force, by year (built-in ones as version 0); any logged-in user"
            )))
            .response("200", answer("The tables", array_of(published())))
            .response("401", error("`unauthorized`"));
        let read = OperationBuilder::new()
            .tag("rules")
            .operation_id(Some(format!("{name}_read")))
            .summary(Some(in_force))
            .parameter(year())
            .response("200", answer("The table", published()))
            .response("401", error("`unauthorized`"))
            .response("404", error("`not_found`: no table for the year"));
        let publish = OperationBuilder::new()
            .tag("rules")
            .operation_id(Some(format!("{name}_publish")))
            .summary(Some(format!(
                "Publish a year's {what} as its next version (city and admin)"
            )))
            .description(Some(
                "Checked, then stored as the next version with who, when and `reason`, and \
                 audited (`publish`). The server's deadlines, warnings and scores use it at \
                 once. A table equal to the latest version makes none (200, `changed: false`).",
            ))
            .parameter(year())
            .parameter(
                query("reason", Type::String, "Why it changes (required, at most 500 characters)")
                    .required(Required::True),
            )
            .request_body(table_body(file))
            .response("201", answer("Published as a new version", published()))
            .response("200", answer("Equal to the latest version", published()))
            .response("401", error("`unauthorized`"))
            .response("403", error("`forbidden`: not a city or admin account"))
            .response(
                "422",
                error("`invalid`: field errors of the table, a year other than the address's, or no reason"),
            );
        let preview = OperationBuilder::new()
            .tag("rules")
            .operation_id(Some(format!("{name}_preview")))
            .summary(Some(format!(
                "Check a year's {what} and say what publishing it would move (city and admin)"
            )))
            .description(Some(
                "Publishes nothing. `changed`: whether it differs from the table in force. \
                 Calendar: `cases`, the open rights cases within the user's units whose reply \
                 deadline changes, each with `old` and `new` (`value`, `missing_years`). \
                 Rubric: `assessments` of the year filled against it whose raw total changes. \
                 Themes: `months` whose themes change.",
            ))
            .parameter(year())
            .request_body(table_body(file))
            .response(
                "200",
                answer(
                    "What it moves",
                    ObjectBuilder::new().schema_type(Type::Object),
                ),
            )
            .response("401", error("`unauthorized`"))
            .response("403", error("`forbidden`: not a city or admin account"))
            .response("422", error("`invalid`: field errors of the table"));
        let versions = OperationBuilder::new()
            .tag("rules")
            .operation_id(Some(format!("{name}_versions")))
            .summary(Some(format!(
                "Every published version of a year's {what}, oldest first"
            )))
            .parameter(year())
            .response("200", answer("The versions", array_of(published())))
            .response("401", error("`unauthorized`"))
            .response("404", error("`not_found`: never published"));
        let version = OperationBuilder::new()
            .tag("rules")
            .operation_id(Some(format!("{name}_version")))
            .summary(Some(format!("One published version of a year's {what}")))
            .parameter(year())
            .parameter(
                ParameterBuilder::new()
                    .name("version")
                    .parameter_in(ParameterIn::Path)
                    .required(Required::True)
                    .schema(Some(ObjectBuilder::new().schema_type(Type::Integer))),
            )
            .response("200", answer("The version", published()))
            .response("401", error("`unauthorized`"))
            .response("404", error("`not_found`"));
        let item = format!("{base}/{{year}}");
        paths = paths
            .path(&base, PathItem::new(HttpMethod::Get, list))
            .path(&item, PathItem::new(HttpMethod::Get, read))
            .path(&item, PathItem::new(HttpMethod::Put, publish))
            .path(
                format!("{item}/preview"),
                PathItem::new(HttpMethod::Post, preview),
            )
            .path(
                format!("{item}/versions"),
                PathItem::new(HttpMethod::Get, versions),
            )
            .path(
                format!("{item}/versions/{{version}}"),
                PathItem::new(HttpMethod::Get, version),
            );
    }
    paths
}

/// A view: (path segment, summary, query parameters with their descriptions).
type View = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

/// Views and exports, described briefly; their parameters and bodies are documented in
/// `routes/views.rs` and `routes/export.rs`.
fn placeholders(mut paths: PathsBuilder) -> PathsBuilder {
    let views: [View; 4] = [
        (
            "warnings",
            "Every warning within the user's units, most severe first",
            &[
                ("unit", "A unit id within the user's"),
                ("severity", "Severity"),
            ],
        ),
        (
            "completeness",
            "Monthly-report completeness of a town's villages",
            &[("town", "A town id"), ("month", "YYYY-MM")],
        ),
        (
            "ranking",
            "A year's town assessments, scored, normalised and ranked",
            &[("year", "Assessment year; default the current year")],
        ),
        (
            "statistics",
            "Figures of a unit and the units one level down",
            &[
                ("unit", "A unit id within the user's"),
                ("from", "YYYY-MM-DD"),
                ("to", "YYYY-MM-DD"),
            ],
        ),
    ];
    for (name, summary, params) in views {
        let op = OperationBuilder::new()
            .tag("views")
            .operation_id(Some(format!("view_{name}")))
            .summary(Some(summary))
            .response(
                "200",
                answer("The view", ObjectBuilder::new().schema_type(Type::Object)),
            )
            .response("401", error("`unauthorized`"))
            .response("404", error("`not_found`: outside the user's units"))
            .response("422", error("`invalid`: a bad query parameter"))
            .parameters(Some(
                params
                    .iter()
                    .map(|(p, d)| query(p, Type::String, d).build()),
            ));
        paths = paths.path(
            format!("/api/views/{name}"),
            PathItem::new(HttpMethod::Get, op),
        );
    }
    // The list's filters; every matching record unless `limit` is given.
    const LIST: &[(&str, &str)] = &[
        (
            "unit",
            "A unit id within the user's (default: the user's own)",
        ),
        ("from", "Record date on or after (YYYY-MM-DD)"),
        ("to", "Record date on or before (YYYY-MM-DD)"),
        ("status", "Status, as in the list"),
        ("category", "Category, as in the list"),
        ("limit", "At most this many"),
    ];
    const LANG: (&str, &str) = (
        "lang",
        "zh (default) or en: the headings and words of the table",
    );
    let exports: [View; 8] = [
        (
            "key-persons",
            "The key-person register, laid out like 000 附件2",
            LIST,
        ),
        (
            "visits",
            "Visit records, laid out like 000 附件3 (B and C audited)",
            LIST,
        ),
        ("monthly-reports", "Monthly reports", LIST),
        (
            "assessments",
            "A year's town assessment results",
            &[("year", "Assessment year; default the current year")],
        ),
        (
            "warnings",
            "The dashboard's open warnings, most severe first",
            &[
                ("unit", "A unit id within the user's"),
                ("severity", "The least severity listed"),
                LANG,
            ],
        ),
        (
            "rights-cases-due",
            "The dashboard's rights cases overdue or due within 2 working days",
            &[("unit", "A unit id within the user's"), LANG],
        ),
        (
            "completeness",
            "The dashboard's grid of villages × months with each town's on-time rate",
            &[
                (
                    "town",
                    "A town id (default: every town in the user's units)",
                ),
                (
                    "from",
                    "First month, YYYY-MM (default: five months before `to`)",
                ),
                (
                    "to",
                    "Last month, YYYY-MM (default: this month); at most 24 months",
                ),
                LANG,
            ],
        ),
        (
            "statistics",
            "The dashboard's figures (SPEC §7) per unit one level down, then the total",
            &[
                ("unit", "A unit id within the user's"),
                ("from", "YYYY-MM-DD (default: 1 January)"),
                ("to", "YYYY-MM-DD (default: today)"),
                LANG,
            ],
        ),
    ];
    for (name, summary, params) in exports {
        for (ext, media) in [
            ("csv", "text/csv"),
            (
                "xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
        ] {
            let op = OperationBuilder::new()
                .tag("export")
                .operation_id(Some(format!("export_{}_{ext}", name.replace('-', "_"))))
                .summary(Some(format!("{summary} ({ext})")))
                .response(
                    "200",
                    ResponseBuilder::new().description("The file").content(
                        media,
                        ContentBuilder::new()
                            .schema(Some(
                                ObjectBuilder::new()
                                    .schema_type(Type::String)
                                    .content_media_type(media),
                            ))
                            .build(),
                    ),
                )
                .response("401", error("`unauthorized`"))
                .response("404", error("`not_found`: outside the user's units"))
                .response("422", error("`invalid`: a bad query parameter"))
                .parameters(Some(
                    params
                        .iter()
                        .map(|(p, d)| query(p, Type::String, d).build()),
                ));
            paths = paths.path(
                format!("/api/export/{name}.{ext}"),
                PathItem::new(HttpMethod::Get, op),
            );
        }
    }
    paths
}

fn boolean(description: &str) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::Boolean)
        .description(Some(description))
}

/// The bodies of `GET /api/sync` (`shared::sync`).
fn sync_schemas(c: ComponentsBuilder) -> ComponentsBuilder {
    let kinds: Vec<&str> = kinds().iter().map(|k| k.path).collect();
    let kind = || {
        string("The kind as the API's path names it; an unknown one is to be skipped")
            .enum_values(Some(kinds.clone()))
    };
    let uuid = || string("The record's id").format(Some(SchemaFormat::Custom("uuid".into())));
    let page = ObjectBuilder::new()
        .description(Some(
            "One page of the feed. Apply it whole: upsert `changes`, drop `removed`, replace the \
             reference data when `reference` is not null, then store `next`; with `reset`, drop \
             every replicated record first.",
        ))
        .property(
            "changes",
            array_of(schema_ref("SyncRecord")).description(Some(
                "Records new, changed or moved into the scope since the cursor, each at its \
                 current version and at most once per page, oldest change first",
            )),
        )
        .property(
            "removed",
            array_of(schema_ref("Tombstone"))
                .description(Some("Records that left the scope since the cursor")),
        )
        .property("reference", schema_ref("Reference"))
        .property(
            "next",
            string("The cursor to send as `since` next time; opaque"),
        )
        .property(
            "more",
            boolean("More changes wait: call again at once with `next`"),
        )
        .property(
            "reset",
            boolean(
                "The cursor no longer fits (the account's unit or role changed, or the \
                 database was restored): drop every replicated record; this page starts a \
                 full sync",
            ),
        )
        .required("changes")
        .required("removed")
        .required("reference")
        .required("next")
        .required("more")
        .required("reset");
    let record = ObjectBuilder::new()
        .description(Some(
            "One record at its current version: `Stored` (as `GET /api/{kind}/{id}` answers) \
             with its kind and id beside.",
        ))
        .property("kind", kind())
        .property("id", uuid())
        .property("version", integer("The current version, 1 for the first"))
        .property("unit", string("Org unit id the record belongs to now"))
        .property(
            "received_at",
            string("When the server stored this version (RFC 3339, UTC)")
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime))),
        )
        .property(
            "author",
            nullable(Type::String, "Username of whoever wrote this version"),
        )
        .property(
            "record",
            ObjectBuilder::new().description(Some("The checked record, as `Stored.record`")),
        )
        .property(
            "assessment",
            ObjectBuilder::new()
                .schema_type(SchemaType::AnyValue)
                .description(Some(
                    "As `Stored.assessment`, as of the server's today when the page was made",
                )),
        )
        .property(
            "period",
            string("The record's own date (YYYY-MM-DD), as the list's `from`/`to` filter it"),
        )
        .property(
            "status",
            nullable(
                Type::String,
                "Its state, as the list's `status` filter reads it",
            ),
        )
        .property(
            "category",
            nullable(
                Type::String,
                "Its category code, as the list's `category` filter reads it",
            ),
        )
        .required("kind")
        .required("id")
        .required("version")
        .required("unit")
        .required("received_at")
        .required("author")
        .required("record")
        .required("assessment")
        .property(
            "first_received_at",
            string("When its first version was stored (RFC 3339, UTC)")
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime))),
        )
        .required("period")
        .required("status")
        .required("category")
        .required("first_received_at");
    let tombstone = ObjectBuilder::new()
        .description(Some(
            "A record that left the scope (moved to a unit outside it): drop it.",
        ))
        .property("kind", kind())
        .property("id", uuid())
        .required("kind")
        .required("id");
    let rule_table = ObjectBuilder::new()
        .property("year", integer("The year"))
        .property(
            "version",
            integer("The published version; 0 for the built-in table never published"),
        )
        .property(
            "table",
            ObjectBuilder::new()
                .schema_type(Type::Object)
                .description(Some("The table in the shape of its file")),
        )
        .required("year")
        .required("version")
        .required("table");
    let tables = |what: &str| array_of(schema_ref("RuleTable")).description(Some(what));
    let reference = ObjectBuilder::new()
        .schema_type(
            [Type::Object, Type::Null]
                .into_iter()
                .collect::<SchemaType>(),
        )
        .description(Some(
            "What the app needs offline besides records, whole; null on a page whose cursor \
             already has it. The server keeps no council members apart from the meetings \
             that name them.",
        ))
        .property(
            "units",
            array_of(schema_ref("OrgUnit")).description(Some(
                "The account's unit and every unit below it, parents first",
            )),
        )
        .property(
            "calendars",
            tables("Every year's working-day calendar in force (as `GET /api/calendars`)"),
        )
        .property(
            "rubrics",
            tables("Every year's town rubric in force (as `GET /api/rubrics`)"),
        )
        .property(
            "themes",
            tables(
                "Every published year's monthly themes (as `GET /api/themes`); a year without \
                 its own takes the newest before it, else the built-in table",
            ),
        )
        .required("units")
        .required("calendars")
        .required("rubrics")
        .required("themes");
    c.schema("SyncPage", page)
        .schema("SyncRecord", record)
        .schema("Tombstone", tombstone)
        .schema("Reference", reference)
        .schema("RuleTable", rule_table)
}

/// `GET /api/sync`: `routes/sync.rs`.
fn sync(paths: PathsBuilder) -> PathsBuilder {
    use shared::sync::{DEFAULT_LIMIT, MAX_LIMIT};
    let op = OperationBuilder::new()
        .tag("sync")
        .operation_id(Some("sync"))
        .summary(Some("The changes in the account's scope since a cursor, paged"))
        .description(Some(
            "Village and town accounts replicate the records of their unit and every unit \
             below it: each page lists, oldest change first, the current version of every \
             record that is new, changed or moved into the scope since `since`, and a \
             tombstone for every record moved out of it. City and admin accounts get the \
             reference data only and no records: they keep what they open. Start with no \
             `since`; store `next` after applying a page; call again at once while `more`. \
             Writes that commit while an app pages are not missed: a record changed meanwhile \
             comes again on a later page at its newer version, and none comes twice at the \
             same version. `reference` (units, rule tables) comes on the first page and again \
             whenever it changed since the cursor. A cursor issued before the account's unit \
             or role changed, or by a database since restored, is answered from the \
             beginning with `reset: true`. B and C visit records in a page are audited: one \
             `sync` entry per page naming their ids.",
        ))
        .parameter(query(
            "since",
            Type::String,
            "The `next` of the last page applied; absent for a first sync",
        ))
        .parameter(query(
            "limit",
            Type::Integer,
            &format!(
                "At most this many changes and tombstones in the page (default \
                 {DEFAULT_LIMIT}, 1–{MAX_LIMIT})"
            ),
        ))
        .response("200", answer("A page", schema_ref("SyncPage")))
        .response("401", error("`unauthorized`"))
        .response(
            "422",
            error(
                "`invalid`: `since` is not a cursor this server gave, or `limit` is out of \
                 range, named in `fields`",
            ),
        )
        .response(
            "503",
            error("`storage_unavailable`: the audit entry of a page with B or C visit records could not be written (Retry-After)"),
        )
        .response(
            "507",
            error("`storage_full`: as 503, the disk is full (Retry-After)"),
        );
    paths.path("/api/sync", PathItem::new(HttpMethod::Get, op))
}

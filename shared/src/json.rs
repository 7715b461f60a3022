//! Reading forms from JSON so that a wrong type or an unknown field is reported like any other
//! field error — `parties[0].age: invalid type` — by the server and the `check` command alike.

use serde::de::DeserializeOwned;

mod strict;
use strict::Strict;

use crate::error::{FieldError, Problem, ValidationErrors};

/// Why a JSON document could not become a form.
#[derive(Debug, thiserror::Error)]
pub enum JsonError {
    /// Not JSON at all (syntax error, truncated, not UTF-8).
    #[error("不是有效的 JSON：{0}")]
    Syntax(String),
    /// JSON, but a field has the wrong type or is unknown.
    #[error("{0}")]
    Shape(ValidationErrors),
}

fn shape_error(path: String, inner: &serde_json::Error) -> ValidationErrors {
    let msg = inner.to_string();
    // serde's line/column adds nothing once the path names the field.
    let detail = msg.split(" at line ").next().unwrap_or(&msg).to_owned();
    ValidationErrors(vec![FieldError::new(
        path.clone(),
        (&path, &path),
        Problem::Malformed { detail },
    )])
}

/// Parses `bytes` as `T`, naming the field of any type or shape error.
pub fn from_slice<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, JsonError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(Strict(de)).map_err(|e| {
        let inner = e.inner();
        if inner.is_syntax() || inner.is_eof() || inner.is_io() {
            JsonError::Syntax(inner.to_string())
        } else {
            JsonError::Shape(shape_error(e.path().to_string(), inner))
        }
    })
}

/// Like [`from_slice`] for a value already parsed (one part of a larger document).
pub fn from_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, ValidationErrors> {
    serde_path_to_error::deserialize(Strict(value))
        .map_err(|e| shape_error(e.path().to_string(), e.inner()))
}

/// Reads `T` from JSON text for the app: unknown fields are ignored unless `T` denies them,
/// and, as for the server, a struct is read from an object only (never from an array, by
/// position). Type errors carry no line and column, and a repeated key is not refused (the
/// last one counts): the rule tables a person uploads are read with `serde_json::from_str`
/// instead, for those messages.
///
/// Through a `Value` first: each type then has one JSON reader in the wasm, the one
/// [`read_value`] uses too, instead of one per way in (text, `Value`). Readers are the largest
/// part of the app's code, and [`Strict`] makes each smaller too: a struct's by-position reader
/// is never called, so it is not in the wasm (−15 KB brotli, BENCHMARKS.md).
pub fn read<T: DeserializeOwned>(text: &str) -> Result<T, serde_json::Error> {
    read_value(&serde_json::from_str::<serde_json::Value>(text)?)
}

/// Reads `T` from an already parsed JSON `Value`, as [`read`] does.
pub fn read_value<T: DeserializeOwned>(value: &serde_json::Value) -> Result<T, serde_json::Error> {
    T::deserialize(Strict(value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::VisitInput;

    fn shape(r: Result<VisitInput, JsonError>) -> String {
        match r {
            Err(JsonError::Shape(e)) => e.0[0].field.clone(),
            other => panic!("expected a field error, got {other:?}"),
        }
    }

    #[test]
    fn a_wrong_type_names_the_nested_field() {
        assert_eq!(
            shape(from_slice(br#"{"parties":[{"age":36}]}"#)),
            "parties[0].age"
        );
    }

    #[test]
    fn an_unknown_field_is_named() {
        assert_eq!(shape(from_slice(br#"{"summery":"x"}"#)), "summery");
        assert_eq!(
            shape(from_slice(br#"{"reports":{"army":""}}"#)),
            "reports.army"
        );
    }

    #[test]
    fn broken_json_is_a_syntax_error() {
        assert!(matches!(
            from_slice::<VisitInput>(b"{\"id\":"),
            Err(JsonError::Syntax(_))
        ));
        assert!(matches!(
            from_slice::<VisitInput>(b"\xff\xfe"),
            Err(JsonError::Syntax(_))
        ));
    }

    #[test]
    fn an_array_for_an_object_is_refused_naming_it() {
        // Issue #14: the dates were taken by position, under police, federation, committee.
        let e = shape(from_slice(
            br#"{"reports":["2026-11-28","2026-11-29","2026-11-30"]}"#,
        ));
        assert_eq!(e, "reports");
        assert!(matches!(
            from_slice::<VisitInput>(br#"["x"]"#),
            Err(JsonError::Shape(_))
        ));
        let v = serde_json::json!({"parties": [["王芳"]]});
        assert_eq!(
            from_value::<VisitInput>(v).unwrap_err().0[0].field,
            "parties[0]"
        );
        // Arrays where arrays belong still are.
        assert!(from_slice::<VisitInput>(br#"{"parties":[{"name":"x"}]}"#).is_ok());
    }

    #[test]
    fn the_app_s_reader_refuses_a_struct_by_position_too_and_names_what_it_expected() {
        let e = read::<VisitInput>(r#"{"reports":["2026-11-28","2026-11-29"]}"#).unwrap_err();
        assert!(e.to_string().contains("invalid type: sequence"), "{e}");
        // What serde_json alone takes by position, `read` refuses.
        let by_position = r#"["2026-11-28","2026-11-29","2026-11-30"]"#;
        assert!(serde_json::from_str::<crate::visit::ReportsInput>(by_position).is_ok());
        assert!(read::<crate::visit::ReportsInput>(by_position).is_err());
        // Arrays where arrays belong still are, and unknown fields are refused where the type
        // says so, as before.
        let v: VisitInput = read(r#"{"parties":[{"name":"王芳"}],"summary":"x"}"#).unwrap();
        assert_eq!(
            (v.parties[0].name.as_str(), v.summary.as_str()),
            ("王芳", "x")
        );
        assert!(read::<VisitInput>(r#"{"summery":"x"}"#).is_err());
        // Broken JSON keeps its position.
        let e = read::<VisitInput>("{\"id\":").unwrap_err();
        assert!(e.is_eof() && e.to_string().contains("line 1"), "{e}");
    }

    #[test]
    fn values_are_read_the_same_way() {
        let v = serde_json::json!({"parties": [{"phone": 138}]});
        let e = from_value::<VisitInput>(v).unwrap_err();
        assert_eq!(e.0[0].field, "parties[0].phone");
    }
}

//! A JSON body extractor whose errors name the field, in the same shape as validation errors,
//! so a client sees `parties[0].age: invalid type` rather than a bare serde message.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;
use shared::{FieldError, Problem, ValidationErrors};

use crate::error::ApiError;

pub struct JsonBody<T>(pub T);

impl<S, T> FromRequest<S> for JsonBody<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|_| ApiError::TooLarge)?;
        parse(&bytes).map(JsonBody)
    }
}

/// Deserialises `bytes`, turning type and shape errors into field errors.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let inner = e.inner();
        if inner.is_syntax() || inner.is_eof() || inner.is_io() {
            return ApiError::BadJson(inner.to_string());
        }
        // The path names the field, an unknown one included; serde's position adds nothing.
        let field = e.path().to_string();
        let msg = inner.to_string();
        let detail = msg.split(" at line ").next().unwrap_or(&msg).to_owned();
        let label = field.clone();
        ApiError::Invalid(ValidationErrors(vec![FieldError::new(
            field,
            (&label, &label),
            Problem::Malformed { detail },
        )]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::VisitInput;

    #[test]
    fn a_wrong_type_names_the_nested_field() {
        let Err(ApiError::Invalid(e)) = parse::<VisitInput>(br#"{"parties":[{"age":36}]}"#) else {
            panic!("expected a field error");
        };
        assert_eq!(e.0[0].field, "parties[0].age");
    }

    #[test]
    fn an_unknown_field_is_named() {
        let Err(ApiError::Invalid(e)) = parse::<VisitInput>(br#"{"summery":"x"}"#) else {
            panic!("expected a field error");
        };
        assert_eq!(e.0[0].field, "summery");
        let Err(ApiError::Invalid(e)) = parse::<VisitInput>(br#"{"reports":{"army":""}}"#) else {
            panic!("expected a field error");
        };
        assert_eq!(e.0[0].field, "reports.army");
    }

    #[test]
    fn broken_json_is_a_bad_request() {
        assert!(matches!(
            parse::<VisitInput>(b"{\"id\":"),
            Err(ApiError::BadJson(_))
        ));
        assert!(matches!(
            parse::<VisitInput>(b"\xff\xfe"),
            Err(ApiError::BadJson(_))
        ));
    }
}

//! WebCrypto for the vault: the key derived from a password (PBKDF2-SHA256), the account's data
//! key (AES-256-GCM) wrapped under it, and sealing items with the data key.
//!
//! Every sealed value is `iv (12 bytes) ‖ ciphertext+tag`, with a fresh random IV per call;
//! the additional data binds a sealed item to its account and id, so a ciphertext copied to
//! another item's place does not open. `crypto.subtle` exists only in a secure context
//! (HTTPS, or localhost); without it there is no vault ([`subtle`] is `None`).

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, SubtleCrypto};

/// PBKDF2-SHA256 iterations for a new vault (OWASP's figure for PBKDF2-HMAC-SHA256).
pub const ITERATIONS: u32 = 600_000;
const IV_LEN: usize = 12;

/// Why WebCrypto failed. `Mismatch` is a wrong key (a wrong password) or a changed byte: AES-GCM
/// cannot tell them apart, and neither may open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CryptoError {
    /// No `crypto.subtle`: not a secure context.
    Unavailable,
    Mismatch,
    Failed(String),
}

pub type Result<T> = std::result::Result<T, CryptoError>;

pub fn subtle() -> Option<SubtleCrypto> {
    let crypto = gloo::utils::window().crypto().ok()?;
    let subtle = Reflect::get(&crypto, &"subtle".into()).ok()?;
    (!subtle.is_undefined() && !subtle.is_null()).then(|| subtle.unchecked_into())
}

fn need() -> Result<SubtleCrypto> {
    subtle().ok_or(CryptoError::Unavailable)
}

/// `n` random bytes from `crypto.getRandomValues`, which (unlike `crypto.subtle`) plain HTTP has
/// too.
pub fn random(n: usize) -> Vec<u8> {
    let mut bytes = vec![0u8; n];
    gloo::utils::window()
        .crypto()
        .and_then(|c| c.get_random_values_with_u8_array(&mut bytes))
        .expect("the browser has no crypto.getRandomValues");
    bytes
}

fn object(pairs: &[(&str, JsValue)]) -> Object {
    let o = Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&o, &(*k).into(), v);
    }
    o
}

fn usages(list: &[&str]) -> JsValue {
    list.iter()
        .map(|u| JsValue::from_str(u))
        .collect::<Array>()
        .into()
}

fn bytes(b: &[u8]) -> Object {
    Uint8Array::from(b).into()
}

fn aes_256() -> Object {
    object(&[("name", "AES-GCM".into()), ("length", 256.into())])
}

fn gcm(iv: &[u8], aad: &[u8]) -> Object {
    object(&[
        ("name", "AES-GCM".into()),
        ("iv", bytes(iv).into()),
        ("additionalData", bytes(aad).into()),
    ])
}

async fn call(promise: std::result::Result<js_sys::Promise, JsValue>) -> Result<JsValue> {
    let promise = promise.map_err(|e| CryptoError::Failed(format!("{e:?}")))?;
    JsFuture::from(promise).await.map_err(|e| {
        let name = Reflect::get(&e, &"name".into())
            .ok()
            .and_then(|n| n.as_string());
        match name.as_deref() {
            // What AES-GCM says of a wrong key or a changed byte.
            Some("OperationError") => CryptoError::Mismatch,
            _ => CryptoError::Failed(name.unwrap_or_else(|| format!("{e:?}"))),
        }
    })
}

fn to_vec(buffer: JsValue) -> Vec<u8> {
    Uint8Array::new(&buffer).to_vec()
}

/// The key that wraps an account's data key, derived from its password.
pub async fn password_key(password: &str, salt: &[u8], iterations: u32) -> Result<CryptoKey> {
    let s = need()?;
    let base = call(s.import_key_with_object(
        "raw",
        &bytes(password.as_bytes()),
        &object(&[("name", "PBKDF2".into())]),
        false,
        &usages(&["deriveKey"]),
    ))
    .await?;
    let params = object(&[
        ("name", "PBKDF2".into()),
        ("hash", "SHA-256".into()),
        ("salt", bytes(salt).into()),
        ("iterations", iterations.into()),
    ]);
    let key = call(s.derive_key_with_object_and_object(
        &params,
        base.unchecked_ref(),
        &aes_256(),
        false,
        &usages(&["wrapKey", "unwrapKey"]),
    ))
    .await?;
    Ok(key.unchecked_into())
}

/// A wrapping key from 32 raw bytes (the server's vault secret for the account).
pub async fn secret_key(raw: &[u8]) -> Result<CryptoKey> {
    let key = call(need()?.import_key_with_object(
        "raw",
        &bytes(raw),
        &aes_256(),
        false,
        &usages(&["wrapKey", "unwrapKey"]),
    ))
    .await?;
    Ok(key.unchecked_into())
}

/// A new random data key; extractable only so that it can be wrapped, then dropped for the
/// unextractable copy [`unwrap`] gives.
pub async fn new_data_key() -> Result<CryptoKey> {
    let key =
        call(need()?.generate_key_with_object(&aes_256(), true, &usages(&["encrypt", "decrypt"])))
            .await?;
    Ok(key.unchecked_into())
}

/// `data_key` wrapped under `wrapping`, bound to `aad`.
pub async fn wrap(data_key: &CryptoKey, wrapping: &CryptoKey, aad: &[u8]) -> Result<Vec<u8>> {
    let iv = random(IV_LEN);
    let sealed =
        call(need()?.wrap_key_with_object("raw", data_key, wrapping, &gcm(&iv, aad))).await?;
    Ok([iv, to_vec(sealed)].concat())
}

/// The data key in `wrapped`. `extractable` only to wrap it again (a changed password).
pub async fn unwrap(
    wrapped: &[u8],
    wrapping: &CryptoKey,
    aad: &[u8],
    extractable: bool,
) -> Result<CryptoKey> {
    if wrapped.len() <= IV_LEN {
        return Err(CryptoError::Mismatch);
    }
    let (iv, body) = wrapped.split_at(IV_LEN);
    let key = call(need()?.unwrap_key_with_buffer_source_and_object_and_object(
        "raw",
        &bytes(body),
        wrapping,
        &gcm(iv, aad),
        &aes_256(),
        extractable,
        &usages(&["encrypt", "decrypt"]),
    ))
    .await?;
    Ok(key.unchecked_into())
}

/// `plain` sealed under `key`, bound to `aad`.
pub async fn seal(key: &CryptoKey, aad: &[u8], plain: &[u8]) -> Result<Vec<u8>> {
    let iv = random(IV_LEN);
    let sealed =
        call(need()?.encrypt_with_object_and_buffer_source(&gcm(&iv, aad), key, &bytes(plain)))
            .await?;
    Ok([iv, to_vec(sealed)].concat())
}

/// An opening under way (see [`begin_open`]).
pub struct Opening(Result<js_sys::Promise>);

/// Starts opening `sealed`: WebCrypto works on it while the caller goes on (an unlock starts
/// every item's before it awaits the first, instead of a thousand one after another).
pub fn begin_open(key: &CryptoKey, aad: &[u8], sealed: &[u8]) -> Opening {
    if sealed.len() <= IV_LEN {
        return Opening(Err(CryptoError::Mismatch));
    }
    let (iv, body) = sealed.split_at(IV_LEN);
    Opening(need().and_then(|s| {
        s.decrypt_with_object_and_buffer_source(&gcm(iv, aad), key, &bytes(body))
            .map_err(|e| CryptoError::Failed(format!("{e:?}")))
    }))
}

impl Opening {
    /// What [`seal`] sealed; `Mismatch` for another key, another `aad` or any changed byte.
    pub async fn finish(self) -> Result<Vec<u8>> {
        Ok(to_vec(call(Ok(self.0?)).await?))
    }
}

/// What [`seal`] sealed; `Mismatch` for another key, another `aad` or any changed byte.
pub async fn open(key: &CryptoKey, aad: &[u8], sealed: &[u8]) -> Result<Vec<u8>> {
    begin_open(key, aad, sealed).finish().await
}

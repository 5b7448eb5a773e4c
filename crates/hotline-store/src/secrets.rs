//! Secrets at rest (bot tokens, sessions): XChaCha20-Poly1305 with the instance key.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use sha2::{Digest, Sha256};

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum SecretError {
    #[error("the encryption key must be 32 bytes, base64-encoded")]
    BadKey,
    #[error("a stored secret could not be decrypted (wrong instance key, or corrupted)")]
    Undecryptable,
}

/// Encrypts and decrypts with the instance key. The key never leaves this type.
pub struct SecretBox {
    cipher: XChaCha20Poly1305,
    key: [u8; 32],
}

impl std::fmt::Debug for SecretBox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretBox(**redacted**)")
    }
}

impl SecretBox {
    /// From a base64-encoded 32-byte key.
    pub fn from_base64(key: &str) -> Result<Self, SecretError> {
        let raw = STANDARD
            .decode(key.trim())
            .map_err(|_| SecretError::BadKey)?;
        let key: [u8; 32] = raw.as_slice().try_into().map_err(|_| SecretError::BadKey)?;
        let cipher = XChaCha20Poly1305::new_from_slice(&key).map_err(|_| SecretError::BadKey)?;
        Ok(Self { cipher, key })
    }

    /// A fresh random key, base64-encoded.
    pub fn generate_key() -> String {
        let mut k = [0u8; 32];
        rand::rng().fill_bytes(&mut k);
        STANDARD.encode(k)
    }

    /// A stable secret derived from the key for `label` (e.g. webhook secret tokens): 48
    /// characters of `[0-9a-f]`, valid as Telegram's `secret_token`.
    pub fn derive(&self, label: &str) -> String {
        let mut h = Sha256::new();
        h.update(b"hotline-derive\0");
        h.update(self.key);
        h.update(label.as_bytes());
        h.finalize()
            .iter()
            .take(24)
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// base64(nonce ‖ ciphertext).
    pub fn seal(&self, plaintext: &str) -> String {
        let mut nonce = [0u8; 24];
        rand::rng().fill_bytes(&mut nonce);
        let n = XNonce::from(nonce);
        // Encryption with a valid key and nonce cannot fail for in-memory buffers.
        let ct = self
            .cipher
            .encrypt(&n, plaintext.as_bytes())
            .unwrap_or_default();
        let mut out = nonce.to_vec();
        out.extend_from_slice(&ct);
        STANDARD.encode(out)
    }

    pub fn open(&self, sealed: &str) -> Result<String, SecretError> {
        let raw = STANDARD
            .decode(sealed)
            .map_err(|_| SecretError::Undecryptable)?;
        if raw.len() < 24 + 16 {
            return Err(SecretError::Undecryptable);
        }
        let (nonce, ct) = raw.split_at(24);
        let nonce: [u8; 24] = nonce.try_into().map_err(|_| SecretError::Undecryptable)?;
        let pt = self
            .cipher
            .decrypt(&XNonce::from(nonce), ct)
            .map_err(|_| SecretError::Undecryptable)?;
        String::from_utf8(pt).map_err(|_| SecretError::Undecryptable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_tamper() {
        let b = SecretBox::from_base64(&SecretBox::generate_key()).unwrap();
        let sealed = b.seal("123:ABC");
        assert!(!sealed.contains("ABC"));
        assert_ne!(sealed, b.seal("123:ABC"), "nonces are random");
        assert_eq!(b.open(&sealed).unwrap(), "123:ABC");
        let other = SecretBox::from_base64(&SecretBox::generate_key()).unwrap();
        assert_eq!(other.open(&sealed), Err(SecretError::Undecryptable));
        assert_eq!(
            SecretBox::from_base64("short").err(),
            Some(SecretError::BadKey)
        );
    }
}

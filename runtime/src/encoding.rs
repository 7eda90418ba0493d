//! The two URL encodings of the protocol (reference §1.2, §2.3): everything but the
//! unreserved `A–Z a–z 0–9 - _ . ~` is escaped, with uppercase hex.

/// Whether `PE` leaves a byte as it is: the unreserved `A–Z a–z 0–9 - _ . ~`. Every other
/// byte, non-ASCII ones included (each on its own), is escaped.
static UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.' | b'~');
        b += 1;
    }
    table
};

/// Uppercase hex digits, as the escapes are written.
const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// `PE(s)`: the signature's percent-encoding. Space becomes `%20`, `*` becomes `%2A`,
/// `~` stays. Used for the canonical query string, which is also what goes on the wire.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_percent_encoded(&mut out, s);
    out
}

/// Appends `PE(s)` to `out`.
pub fn push_percent_encoded(out: &mut String, s: &str) {
    push_encoded(out, s, false);
}

/// Form encoding as the official SDKs emit it: like [`percent_encode`] but space → `+`.
pub fn form_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_form_encoded(&mut out, s);
    out
}

/// Appends the form encoding of `s` to `out`.
pub fn push_form_encoded(out: &mut String, s: &str) {
    push_encoded(out, s, true);
}

/// One pass over the bytes of `s`: runs of unreserved bytes are copied whole, every other
/// byte is written as `%XX` (a space as `+` when `plus`). A table lookup per byte, and no
/// iterator yielding a chunk per escape (JSON text escapes one byte in four or five).
fn push_encoded(out: &mut String, s: &str, plus: bool) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len());
    let mut run = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if UNRESERVED[usize::from(b)] {
            continue;
        }
        // A non-empty run is unreserved ASCII, so both of its ends are character
        // boundaries: the slice cannot panic.
        if run < i {
            out.push_str(&s[run..i]);
        }
        if plus && b == b' ' {
            out.push('+');
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
        run = i + 1;
    }
    if run < bytes.len() {
        out.push_str(&s[run..]);
    }
}

/// Sorts pairs by name in byte order, keeping the order of repeated names (stable).
pub fn sort_pairs<K: AsRef<str>, V>(pairs: &mut [(K, V)]) {
    pairs.sort_by(|a, b| a.0.as_ref().as_bytes().cmp(b.0.as_ref().as_bytes()));
}

/// `PE(name)=PE(value)` joined with `&`, in the given order.
pub fn canonical_query<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> String {
    join(pairs, push_percent_encoded)
}

/// A form body `name=value&…` with the official form encoding, in the given order.
pub fn form_body<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> String {
    join(pairs, push_form_encoded)
}

fn join<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)], encode: fn(&mut String, &str)) -> String {
    let estimate: usize = pairs
        .iter()
        .map(|(k, v)| k.as_ref().len() + v.as_ref().len() + 2)
        .sum();
    let mut out = String::with_capacity(estimate + estimate / 4);
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        encode(&mut out, k.as_ref());
        out.push('=');
        encode(&mut out, v.as_ref());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_encoding_matches_reference_1_2() {
        assert_eq!(percent_encode("a b*+/=&~"), "a%20b%2A%2B%2F%3D%26~");
        assert_eq!(percent_encode("!'()"), "%21%27%28%29");
        assert_eq!(percent_encode("中"), "%E4%B8%AD");
        assert_eq!(percent_encode("A-Z_a.z~09"), "A-Z_a.z~09");
    }

    fn is_unreserved(b: u8) -> bool {
        b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')
    }

    /// The plain definition of reference §1.2, byte by byte, against the encoder.
    fn naive(s: &str, space: &str) -> String {
        s.bytes()
            .map(|b| match b {
                b' ' => space.to_owned(),
                b if is_unreserved(b) => char::from(b).to_string(),
                b => format!("%{b:02X}"),
            })
            .collect()
    }

    #[test]
    fn every_byte_is_encoded_as_defined() {
        let ascii: String = (0u8..128).map(char::from).collect();
        let latin: String = (128u32..256).filter_map(char::from_u32).collect();
        for s in [
            ascii.as_str(),
            latin.as_str(),
            "中a b",
            "ab中",
            "é",
            "x~y*z 中中 ",
            "",
            "  ",
        ] {
            assert_eq!(percent_encode(s), naive(s, "%20"), "{s:?}");
            assert_eq!(form_encode(s), naive(s, "+"), "{s:?}");
        }
    }

    #[test]
    fn form_encoding_uses_plus_for_space() {
        assert_eq!(form_encode("orders sync*~"), "orders+sync%2A~");
        assert_eq!(form_encode(" a  b "), "+a++b+");
        assert_eq!(form_encode("1+1"), "1%2B1");
    }

    #[test]
    fn pairs_sort_by_bytes() {
        let mut p: Vec<(String, String)> = ["Tag.2", "Tag.10", "Tag.1", "B", "a"]
            .iter()
            .map(|k| (k.to_string(), String::new()))
            .collect();
        sort_pairs(&mut p);
        let keys: Vec<&str> = p.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["B", "Tag.1", "Tag.10", "Tag.2", "a"]);
        assert_eq!(canonical_query(&p[..2]), "B=&Tag.1=");
    }
}

//! The two URL encodings of the protocol (reference §1.2, §2.3): everything but the
//! unreserved `A–Z a–z 0–9 - _ . ~` is escaped, with uppercase hex.

/// `PE(s)`: the signature's percent-encoding. Space becomes `%20`, `*` becomes `%2A`,
/// `~` stays. Used for the canonical query string, which is also what goes on the wire.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_percent_encoded(&mut out, s);
    out
}

/// Appends `PE(s)` to `out`.
pub fn push_percent_encoded(out: &mut String, s: &str) {
    push_encoded(out, s, "%20");
}

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')
}

/// Form encoding as the official SDKs emit it: like [`percent_encode`] but space → `+`.
pub fn form_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_form_encoded(&mut out, s);
    out
}

/// Appends the form encoding of `s` to `out`.
pub fn push_form_encoded(out: &mut String, s: &str) {
    push_encoded(out, s, "+");
}

/// `%00%01…%FF`: the escape of byte `b` is `ESCAPES[3b..3b + 3]`, so an escape is one
/// `push_str` rather than three `push`es.
const ESCAPES: &str = concat!(
    "%00%01%02%03%04%05%06%07%08%09%0A%0B%0C%0D%0E%0F",
    "%10%11%12%13%14%15%16%17%18%19%1A%1B%1C%1D%1E%1F",
    "%20%21%22%23%24%25%26%27%28%29%2A%2B%2C%2D%2E%2F",
    "%30%31%32%33%34%35%36%37%38%39%3A%3B%3C%3D%3E%3F",
    "%40%41%42%43%44%45%46%47%48%49%4A%4B%4C%4D%4E%4F",
    "%50%51%52%53%54%55%56%57%58%59%5A%5B%5C%5D%5E%5F",
    "%60%61%62%63%64%65%66%67%68%69%6A%6B%6C%6D%6E%6F",
    "%70%71%72%73%74%75%76%77%78%79%7A%7B%7C%7D%7E%7F",
    "%80%81%82%83%84%85%86%87%88%89%8A%8B%8C%8D%8E%8F",
    "%90%91%92%93%94%95%96%97%98%99%9A%9B%9C%9D%9E%9F",
    "%A0%A1%A2%A3%A4%A5%A6%A7%A8%A9%AA%AB%AC%AD%AE%AF",
    "%B0%B1%B2%B3%B4%B5%B6%B7%B8%B9%BA%BB%BC%BD%BE%BF",
    "%C0%C1%C2%C3%C4%C5%C6%C7%C8%C9%CA%CB%CC%CD%CE%CF",
    "%D0%D1%D2%D3%D4%D5%D6%D7%D8%D9%DA%DB%DC%DD%DE%DF",
    "%E0%E1%E2%E3%E4%E5%E6%E7%E8%E9%EA%EB%EC%ED%EE%EF",
    "%F0%F1%F2%F3%F4%F5%F6%F7%F8%F9%FA%FB%FC%FD%FE%FF",
);

/// Appends `s` with every byte outside the unreserved set written as `%XX` (uppercase hex,
/// each byte of a multi-byte character on its own), and a space as `space`. Unreserved runs
/// are copied whole, so a value needing no escape (ids, numbers, regions) is one copy.
fn push_encoded(out: &mut String, s: &str, space: &str) {
    let mut run_start = 0;
    for (i, b) in s.bytes().enumerate() {
        if is_unreserved(b) {
            continue;
        }
        // A non-empty run is ASCII, so it starts and ends on character boundaries; an empty
        // one may sit inside a multi-byte character and is skipped.
        if run_start < i {
            out.push_str(&s[run_start..i]);
        }
        let at = 3 * usize::from(b);
        out.push_str(if b == b' ' {
            space
        } else {
            &ESCAPES[at..at + 3]
        });
        run_start = i + 1;
    }
    out.push_str(&s[run_start..]);
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

    /// The plain definition, byte by byte, against the run-copying encoder.
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
    fn escape_table_is_every_byte_in_uppercase_hex() {
        assert_eq!(ESCAPES.len(), 3 * 256);
        for b in 0..=255u8 {
            let at = 3 * usize::from(b);
            assert_eq!(&ESCAPES[at..at + 3], format!("%{b:02X}"));
        }
    }

    #[test]
    fn every_byte_is_encoded_as_defined() {
        let ascii: String = (0u8..128).map(char::from).collect();
        for s in [ascii.as_str(), "中a b", "ab中", "é", "x~y*z 中中 ", ""] {
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

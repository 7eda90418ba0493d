//! "Did you mean": the closest expected name for a misspelt key or value.
//!
//! serde's messages for an unknown key or enum value list every expected name; a
//! maintainer who typed `nmae` is helped most by being pointed at `name`.

/// `message` with a suggestion appended when it is serde's "unknown field" or "unknown
/// variant" message and one expected name is close to the one given.
pub(crate) fn with_suggestion(message: String) -> String {
    match suggestion(&message) {
        Some(best) => format!("{message} (did you mean `{best}`?)"),
        None => message,
    }
}

fn suggestion(message: &str) -> Option<String> {
    let rest = message
        .strip_prefix("unknown field `")
        .or_else(|| message.strip_prefix("unknown variant `"))?;
    let (given, expected) = rest.split_once("`, expected ")?;
    let expected = expected.strip_prefix("one of ").unwrap_or(expected);
    let given = given.to_lowercase();
    // One edit per four letters: `nmae` → `name`, `descripton` → `description`, but not
    // `int` → `any` or `fetch` → `patch`.
    let length = given.chars().count();
    let allowed = (length / 4).max(1);
    let mut best: Option<(usize, &str)> = None;
    for candidate in expected.split(", ") {
        let Some(name) = candidate
            .strip_prefix('`')
            .and_then(|c| c.strip_suffix('`'))
        else {
            continue;
        };
        let lower = name.to_lowercase();
        let distance = edit_distance(&given, &lower);
        // A cut-short name (`int` for `integer`) ranks after every close spelling.
        let score = if distance <= allowed && distance < length {
            Some(distance)
        } else if length >= 3 && lower.starts_with(&given) {
            Some(allowed + 1)
        } else {
            None
        };
        if let Some(score) = score
            && best.is_none_or(|(lowest, _)| score < lowest)
        {
            best = Some((score, name));
        }
    }
    best.map(|(_, name)| name.to_owned())
}

/// Edits (insert, delete, substitute, swap two neighbours) turning `a` into `b`.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // rows[i][j]: distance between the first i chars of a and the first j of b.
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let substitution = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + substitution);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_get_the_closest_name() {
        let unknown_key = "unknown field `nmae`, expected one of `name`, `type`, `$ref`";
        assert_eq!(suggestion(unknown_key).as_deref(), Some("name"));
        let unknown_type = "unknown variant `strng`, expected one of `string`, `integer`";
        assert_eq!(suggestion(unknown_type).as_deref(), Some("string"));
        let case_only = "unknown variant `formdata`, expected one of `query`, `formData`";
        assert_eq!(suggestion(case_only).as_deref(), Some("formData"));
        let single = "unknown field `m`, expected `n`";
        assert_eq!(
            suggestion(single),
            None,
            "one letter is not a typo of another"
        );
    }

    #[test]
    fn unrelated_names_get_no_suggestion() {
        assert_eq!(
            suggestion("unknown field `colour`, expected one of `name`, `type`"),
            None
        );
        assert_eq!(suggestion("unknown field `x`, there are no fields"), None);
        assert_eq!(suggestion("missing field `name`"), None);
    }

    #[test]
    fn edit_distance_counts_swaps_once() {
        assert_eq!(edit_distance("nmae", "name"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}

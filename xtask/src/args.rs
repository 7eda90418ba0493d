//! What the subcommands' option parsers share.

/// The value after `flag`, or an error naming the flag and showing the command's usage.
pub fn value_of<'a>(
    args: &mut impl Iterator<Item = &'a String>,
    flag: &str,
    usage: &str,
) -> Result<String, String> {
    args.next()
        .cloned()
        .ok_or_else(|| format!("{flag} needs a value\n{usage}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_the_next_argument_or_names_the_flag() {
        let args = ["a".to_owned()];
        let mut it = args.iter();
        assert_eq!(value_of(&mut it, "--x", "usage").as_deref(), Ok("a"));
        assert_eq!(
            value_of(&mut it, "--x", "usage: xtask"),
            Err("--x needs a value\nusage: xtask".to_owned())
        );
    }
}

//! Input names are how findings point at their evidence (`file:line`), so no two inputs of one
//! analysis may share a name. Files dropped from two nodes' folders often do: RTMT names every
//! node's first trace `SDL001_600_000001.txt`. A repeated name gets a number before its
//! extension (`SDL001_600_000001 (2).txt`), which keeps `.gz` / `.zip` at the end.

/// Make `names` distinct, in order: the first of each name is kept as it is.
pub fn make_distinct(names: &mut [String]) {
    let mut seen = std::collections::HashSet::new();
    for name in names.iter_mut() {
        if seen.insert(name.clone()) {
            continue;
        }
        let (dir, base) = match name.rfind('/') {
            Some(i) => name.split_at(i + 1),
            None => ("", name.as_str()),
        };
        let (stem, ext) = match base.find('.') {
            Some(i) if i > 0 => base.split_at(i),
            _ => (base, ""),
        };
        let mut n = 2;
        let renamed = loop {
            let candidate = format!("{dir}{stem} ({n}){ext}");
            if !seen.contains(&candidate) {
                break candidate;
            }
            n += 1;
        };
        seen.insert(renamed.clone());
        *name = renamed;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn distinct(names: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        make_distinct(&mut v);
        v
    }

    #[test]
    fn repeated_names_get_a_number_before_the_extension() {
        assert_eq!(
            distinct(&[
                "SDL001_600_000001.txt",
                "SDL001_600_000001.txt",
                "SDL001_600_000001.txt"
            ]),
            [
                "SDL001_600_000001.txt",
                "SDL001_600_000001 (2).txt",
                "SDL001_600_000001 (3).txt"
            ]
        );
        assert_eq!(
            distinct(&["a/x.txt.gz", "a/x.txt.gz", "b/x.txt.gz"]),
            ["a/x.txt.gz", "a/x (2).txt.gz", "b/x.txt.gz"]
        );
        assert_eq!(
            distinct(&["pasted text", "pasted text", ".hidden", ".hidden"]),
            ["pasted text", "pasted text (2)", ".hidden", ".hidden (2)"]
        );
    }

    #[test]
    fn a_new_name_never_takes_an_existing_one() {
        assert_eq!(
            distinct(&["x (2).txt", "x.txt", "x.txt"]),
            ["x (2).txt", "x.txt", "x (3).txt"]
        );
        let names = distinct(&["x.txt", "x (2).txt", "x.txt", "x.txt"]);
        let set: std::collections::HashSet<_> = names.iter().collect();
        assert_eq!(set.len(), names.len(), "{names:?}");
    }
}

//! One copy of each text an analysis repeats. Where attempts are dense, most of an analysis is its
//! findings, and most of their prose is the same from one finding to the next: the fix and
//! verification steps of a rule, a peer's address, an event's label. [`Interner`] hands out one
//! shared [`Text`] per distinct string, so 20,000 findings of one rule hold their common
//! sentences once.

use crate::model::{Bilingual, DecodedCode, Explanation, Finding, Text};
use std::collections::HashSet;

/// The distinct texts seen so far (see the module doc).
#[derive(Debug, Default)]
pub struct Interner {
    texts: HashSet<Text>,
    /// The addresses of `texts`, so that sharing a finding twice costs no second look at its
    /// prose. (The set keeps every text alive: no other text can take one of these addresses.)
    held: HashSet<usize>,
}

impl Interner {
    /// The shared copy of `s`.
    pub fn text(&mut self, s: &str) -> Text {
        if let Some(t) = self.texts.get(s) {
            return t.clone();
        }
        let t: Text = s.into();
        self.hold(t.clone());
        t
    }

    fn hold(&mut self, t: Text) {
        self.held.insert(t.as_ptr() as usize);
        self.texts.insert(t);
    }

    /// `t`, or the copy of the same text already held.
    pub fn share(&mut self, t: &mut Text) {
        if self.held.contains(&(t.as_ptr() as usize)) {
            return;
        }
        match self.texts.get(&**t) {
            Some(held) => *t = held.clone(),
            None => self.hold(t.clone()),
        }
    }

    pub fn bilingual(&mut self, b: &mut Bilingual) {
        self.share(&mut b.en);
        self.share(&mut b.ja);
    }

    /// Share the prose of `f`: its title, explanation and decoded codes. (Evidence lines share
    /// the trace's copy of each line, and of its name, when they are made.)
    pub fn finding(&mut self, f: &mut Finding) {
        self.bilingual(&mut f.title);
        let Explanation {
            what,
            why,
            fix,
            verify,
            collect,
        } = &mut f.explanation;
        self.bilingual(what);
        self.bilingual(why);
        for b in fix.iter_mut().chain(verify).chain(collect) {
            self.bilingual(b);
        }
        for DecodedCode { meaning, .. } in &mut f.codes {
            self.bilingual(meaning);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn equal_texts_become_one_allocation() {
        let mut i = Interner::default();
        let a = i.text("Restart Cisco Intercluster Lookup Service");
        let mut b: Text = String::from("Restart Cisco Intercluster Lookup Service").into();
        assert!(!Arc::ptr_eq(&a, &b));
        i.share(&mut b);
        assert!(Arc::ptr_eq(&a, &b));
        i.share(&mut b);
        assert!(Arc::ptr_eq(&a, &b));
        let c = i.text("another sentence");
        assert!(!Arc::ptr_eq(&a, &c));
        assert_eq!(&*c, "another sentence");
    }
}

//! The JavaScript reprise puts into the page: js/page.js in the app's own world of every document
//! (seeded randomness, whole-ms `performance.now`, responses released after their latency), and
//! js/tools.js in an isolated world (finding targets, canonical DOM text, queries).

/// js/tools.js: defines `__reprise` in the isolated world it is evaluated in.
pub(crate) const TOOLS: &str = include_str!("js/tools.js");

const PAGE: &str = include_str!("js/page.js");

/// js/page.js with its seed.
pub(crate) fn page_script(seed: u64) -> String {
    // The generator takes 32 bits; fold the seed so that every bit counts.
    let folded = (seed ^ (seed >> 32)) as u32;
    PAGE.replace("__REPRISE_SEED__", &folded.to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_seed_is_filled_in() {
        let s = super::page_script(42);
        assert!(s.contains("const SEED = 42;") && !s.contains("__REPRISE_SEED__"));
    }
}

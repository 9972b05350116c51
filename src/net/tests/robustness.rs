//! Pathological and random input: linear time, no panic, ranges that slice.

use super::*;

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// URL-ish fragments, separated by `|`, that the generator glues together.
const PIECES: &str = "h|t|p|s|:|/|//|[|]|@|$|{|}|${|%{|{{|}}|$(|)|(|.|,|;| |\t|0|1|8|9|a|z|-|_|%|?|#|*|+|\"|'|é|日|→|。|localhost|http://|https://|tcp://|unix:|consul|service|virtual|::|::ffff:|0.0.0.0|127.0.0.1|backend|:8080";

fn random_text(rng: &mut XorShift, pieces: &[&str]) -> String {
    let len = rng.below(24);
    (0..len).map(|_| pieces[rng.below(pieces.len())]).collect()
}

fn assert_slices(text: &str, r: &Range<usize>, what: &str) {
    assert!(r.start <= r.end, "{what} {r:?} reversed in {text:?}");
    assert!(
        text.get(r.clone()).is_some(),
        "{what} {r:?} does not slice {text:?}"
    );
}

fn check_listen(text: &str) -> ListenClass {
    let addr = parse_listen_address(text);
    assert_slices(text, &addr.host, "listen host");
    if let Some(port) = &addr.port {
        assert_slices(text, &port.range, "listen port");
        assert!(port.range.start >= addr.host.end, "port before host in {text:?}");
    }
    let _ = classify_listen_host(text);
    addr.class
}

fn check_urls(text: &str) -> usize {
    let urls = find_urls(text);
    let mut previous_end = 0;
    for url in &urls {
        assert_slices(text, &url.range, "url");
        assert!(url.range.start >= previous_end, "overlapping URLs in {text:?}");
        previous_end = url.range.end;
        let inside = |r: &Range<usize>| url.range.start <= r.start && r.end <= url.range.end;
        for (r, what) in [(&url.host, "host"), (&url.path, "path")] {
            assert_slices(text, r, what);
            assert!(inside(r), "{what} outside URL in {text:?}");
        }
        if let Some(r) = &url.userinfo {
            assert!(inside(r) && text.get(r.clone()).is_some(), "userinfo in {text:?}");
        }
        if let Some(port) = &url.port {
            assert!(
                inside(&port.range) && text.get(port.range.clone()).is_some(),
                "port in {text:?}"
            );
        }
        if let HostClass::ConsulDns(name) = &url.host_class {
            assert_slices(text, &name.service, "consul service");
            assert!(inside(&name.service));
        }
        let _ = sidecar_replacement(text, url, 1234, ReplacementScheme::Plaintext);
    }
    let _ = classify_url_host(text);
    urls.len()
}

#[test]
fn pathological_inputs_are_scanned_in_linear_time() {
    let started = std::time::Instant::now();
    let empty_authorities = "http:///".repeat(25_000);
    assert!(find_urls(&empty_authorities).is_empty());
    let closers = format!("http://backend{}", ")".repeat(200_000));
    assert_eq!(at(&closers, &only_url(&closers).range), "http://backend");
    let open_templates = "${".repeat(100_000);
    assert_eq!(parse_listen_address(&open_templates).class, ListenClass::Unknown);
    assert!(find_urls(&open_templates).is_empty());
    let colons = "a:".repeat(100_000);
    assert_eq!(parse_listen_address(&colons).class, ListenClass::Invalid);
    let list = "http://localhost:1234,".repeat(20_000);
    assert_eq!(find_urls(&list).len(), 20_000);
    let bare_list = "backend:8080 ".repeat(20_000);
    assert_eq!(find_urls(&bare_list).len(), 20_000);
    let unknown_schemes = "ftp://x ".repeat(25_000);
    assert!(find_urls(&unknown_schemes).is_empty());
    // Generous: linear scans take milliseconds, quadratic ones minutes.
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
}

#[test]
fn random_urlish_strings_never_panic_and_ranges_slice_the_input() {
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let mut urls_found = 0;
    let mut all_interfaces = 0;
    let mut unknown = 0;
    let pieces: Vec<&str> = PIECES.split('|').collect();
    for _ in 0..4000 {
        let text = random_text(&mut rng, &pieces);
        urls_found += check_urls(&text);
        match check_listen(&text) {
            ListenClass::AllInterfaces(_) => all_interfaces += 1,
            ListenClass::Unknown => unknown += 1,
            _ => {}
        }
    }
    // The generator must actually exercise the parsers.
    assert!(urls_found > 200, "only {urls_found} URLs found");
    assert!(
        all_interfaces > 20,
        "only {all_interfaces} all-interfaces addresses"
    );
    assert!(unknown > 20, "only {unknown} unknown addresses");
}

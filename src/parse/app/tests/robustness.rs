//! No input makes a reader panic: deterministic mutations of realistic inputs, every kind
//! reading every input, deep nesting and long inputs.

use super::*;

pub(super) const KINDS: &[SourceKind] = &SourceKind::ALL;

const SAMPLES: &[&str] = &[
    "package main\nimport h \"net/http\"\nconst a = \"0.0.0.0:80\"\nfunc main() {\n\ts := &h.Server{Addr: a}\n\th.ListenAndServe(\":\"+p, nil)\n\tnet.Listen(\"tcp\", `x://y`)\n}\n",
    "HOST = '0.0.0.0'\napp = Flask(__name__)\napp.run(host=HOST)\nuvicorn.run(app,)\ns.bind((\"\", 80))\nbind = [\"a:1\"]\nsubprocess.run(['manage.py', 'runserver'])\nx = f\"http://{h}/\"\n",
    "const fastify = require('fastify')()\nfastify.listen({ port, host: \"::\" })\napp.listen(3000, () => {})\nconst u = `http://${a}.service.consul`\n",
    "fn main() {\n let a = SocketAddr::from(([0, 0, 0, 0], 80));\n axum::Server::bind(&a);\n TcpListener::bind(\"0.0.0.0:1\".parse::<SocketAddr>().unwrap())?;\n let s = r#\"http://x\"#;\n}\n",
    "FROM python AS a\nENV U=\"http://b.consul\"\nENTRYPOINT [\"gunicorn\"]\nCMD [\"--bind\", \"0.0.0.0:80\"]\nCMD sh -c 'uvicorn a:b --host 0.0.0.0' \\\n  && x\n",
    "web: gunicorn -b 0.0.0.0:$PORT app\nexec python -m flask run --host=\"::\" && python manage.py runserver ${A:-x} '\n",
    "server.address=0.0.0.0\nurl=http\\://x\\\n  .consul\nserver:\n  address: '::'\n  - \"http://a\"\n---\nnote: |\n  x\n",
];

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Bytes that open or close the constructs the readers care about.
const NASTY: &[u8] = b"\"'`\\{}[]()$:=#\n\r\t -/.,;&|*0\xc3\xa9";

fn mutations(sample: &str, rng: &mut Rng) -> Vec<String> {
    let bytes = sample.as_bytes();
    let mut out: Vec<String> = (0..=bytes.len())
        .map(|cut| String::from_utf8_lossy(&bytes[..cut]).into_owned())
        .collect();
    for _ in 0..200 {
        let mut mutated = bytes.to_vec();
        for _ in 0..1 + rng.below(4) {
            let at = rng.below(mutated.len());
            match rng.below(3) {
                0 => mutated[at] = NASTY[rng.below(NASTY.len())],
                1 => {
                    mutated.remove(at.min(mutated.len().saturating_sub(1)));
                }
                _ => mutated.insert(at, NASTY[rng.below(NASTY.len())]),
            }
            if mutated.is_empty() {
                break;
            }
        }
        out.push(String::from_utf8_lossy(&mutated).into_owned());
    }
    out
}

fn check(kind: SourceKind, text: &str) {
    let facts = extract(kind, FILE, text);
    for span in facts
        .listens
        .iter()
        .map(|l| l.span)
        .chain(facts.strings.iter().map(|s| s.span))
    {
        assert!(
            text.get(span.start()..span.end()).is_some(),
            "{kind:?}: bad span {span:?} in {text:?}"
        );
    }
    for listen in &facts.listens {
        match &listen.address {
            ListenAddress::HostPort { span, .. } | ListenAddress::Host { span, .. } => {
                assert!(
                    text.get(span.start()..span.end()).is_some(),
                    "{kind:?}: {listen:?} in {text:?}"
                );
            }
            ListenAddress::Default {
                insert: Some((span, _)),
                ..
            } => {
                assert!(
                    span.start() == span.end() && text.is_char_boundary(span.start()),
                    "{kind:?}: {listen:?}"
                );
            }
            _ => {}
        }
    }
}

#[test]
fn mutated_inputs_never_panic_and_spans_stay_in_bounds() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut inputs = 0;
    for sample in SAMPLES {
        for mutated in mutations(sample, &mut rng) {
            for kind in KINDS {
                check(*kind, &mutated);
                inputs += 1;
            }
        }
    }
    assert!(inputs > 25_000, "{inputs}");
}

#[test]
fn deep_nesting_never_panics_nor_takes_long() {
    let started = std::time::Instant::now();
    for open in ["(", "[", "{", "f(", "a.listen(", "\"${", "$(", "- ", "  "] {
        let text = format!("listen bind run :// {}", open.repeat(10_000));
        for kind in KINDS {
            check(*kind, &text);
        }
    }
    // Unoptimised test builds run the grammars' C code without optimisation too; a
    // quadratic walk over these inputs took minutes.
    assert!(started.elapsed().as_secs() < 60, "{:?}", started.elapsed());
}

#[test]
fn long_inputs_are_read_whole() {
    let line = "app.listen(3000, \"0.0.0.0\");\n";
    let text = line.repeat(5_000);
    let facts = extract(SourceKind::JavaScript, FILE, &text);
    assert_eq!(facts.listens.len(), 5_000);
    let text = "x".repeat(1 << 20) + "\nlisten\n";
    for kind in KINDS {
        check(*kind, &text);
    }
}

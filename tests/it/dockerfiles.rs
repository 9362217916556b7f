//! The Dockerfiles the book shows, checked for their shape, since no test here can run Docker:
//! each has a build stage and a runtime stage that copies from it, every stage names the Debian
//! release it is built on, builder and runtime name the same one (a binary linked against a
//! newer glibc than the runtime image's fails at start), and no image is one that distroless
//! has deprecated.
//!
//! The blocks are read from the chapter as mdBook reads it: fenced code whose info string's
//! first word is `dockerfile` (any case).

use std::fs;
use std::path::Path;

use mdbook_markdown::MarkdownOptions;
use mdbook_markdown::pulldown_cmark::{CodeBlockKind, Event, Tag, TagEnd};

/// The chapter whose Dockerfiles readers copy.
const CHAPTER: &str = "src/cross-compilation-and-deployment.md";

/// Debian's release names, with their version numbers, as image tags spell them.
const RELEASES: [(&str, u32); 5] = [
    ("buster", 10),
    ("bullseye", 11),
    ("bookworm", 12),
    ("trixie", 13),
    ("forky", 14),
];

/// Distroless scheduled its Debian 12 images for deprecation on 2026-09-01
/// (GoogleContainerTools/distroless#2129).
const DEPRECATED_DISTROLESS_RELEASE: u32 = 12;

/// One Dockerfile block of a chapter: where its code starts and its text.
struct Block {
    line: usize,
    text: String,
}

/// One `FROM` instruction: its line in the block, image, and stage name.
struct From {
    line: usize,
    image: String,
    stage: Option<String>,
}

/// Every fenced code block whose info string names Dockerfile, with the line it starts on.
fn dockerfile_blocks(markdown: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut open: Option<Block> = None;
    let parser = mdbook_markdown::new_cmark_parser(markdown, &MarkdownOptions::default());
    for (event, range) in parser.into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                let language = info.split_whitespace().next().unwrap_or("");
                if language.eq_ignore_ascii_case("dockerfile") {
                    let line = markdown[..range.start].lines().count() + 2;
                    open = Some(Block {
                        line,
                        text: String::new(),
                    });
                }
            }
            Event::Text(text) => {
                if let Some(block) = open.as_mut() {
                    block.text.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => blocks.extend(open.take()),
            _ => {}
        }
    }
    blocks
}

/// The `FROM` instructions of a Dockerfile, flags (`--platform=...`) skipped.
fn froms(dockerfile: &str) -> Vec<From> {
    dockerfile
        .lines()
        .enumerate()
        .filter_map(|(index, line)| {
            let mut words = line.split_whitespace();
            let keyword = words.next()?;
            if !keyword.eq_ignore_ascii_case("FROM") {
                return None;
            }
            let mut words = words.skip_while(|word| word.starts_with("--"));
            let image = words.next().unwrap_or("").to_owned();
            let stage = match (words.next(), words.next()) {
                (Some(as_word), Some(name)) if as_word.eq_ignore_ascii_case("AS") => {
                    Some(name.to_owned())
                }
                _ => None,
            };
            Some(From {
                line: index,
                image,
                stage,
            })
        })
        .collect()
}

/// The Debian release an image reference names (`rust:1-trixie` → 13,
/// `gcr.io/distroless/cc-debian13` → 13), or `None` when it names none.
fn debian_release(image: &str) -> Option<u32> {
    image
        .split(|c: char| !c.is_ascii_alphanumeric())
        .find_map(|word| {
            let word = word.to_ascii_lowercase();
            RELEASES
                .iter()
                .find(|(name, _)| *name == word)
                .map(|&(_, number)| number)
                .or_else(|| word.strip_prefix("debian")?.parse().ok())
        })
}

/// The stages `COPY --from=<stage>` copies from.
fn copied_from(dockerfile: &str) -> Vec<String> {
    dockerfile
        .lines()
        .filter(|line| {
            line.split_whitespace()
                .next()
                .is_some_and(|word| word.eq_ignore_ascii_case("COPY"))
        })
        .flat_map(|line| line.split_whitespace())
        .filter_map(|word| word.strip_prefix("--from="))
        .map(str::to_owned)
        .collect()
}

/// Everything wrong with one Dockerfile's shape, each problem as a sentence.
fn shape_problems(dockerfile: &str) -> Vec<String> {
    let froms = froms(dockerfile);
    let mut problems = Vec::new();
    let [builds @ .., runtime] = froms.as_slice() else {
        return vec!["has no FROM".to_owned()];
    };
    if builds.is_empty() {
        problems.push("has one FROM: no separate build and runtime stage".to_owned());
    }
    let sources = copied_from(dockerfile);
    let build_names: Vec<&str> = builds.iter().filter_map(|f| f.stage.as_deref()).collect();
    if !builds.is_empty() && !sources.iter().any(|s| build_names.contains(&s.as_str())) {
        problems.push(format!(
            "the runtime stage copies from no build stage (stages: {build_names:?}, copied from: {sources:?})"
        ));
    }
    for from in &froms {
        match debian_release(&from.image) {
            None if from.image != "scratch" => problems.push(format!(
                "line {}: `{}` names no Debian release, so it moves when its default moves; \
                 pin one (e.g. `-trixie`, `-debian13`)",
                from.line + 1,
                from.image
            )),
            Some(DEPRECATED_DISTROLESS_RELEASE) if from.image.contains("/distroless/") => problems
                .push(format!(
                    "line {}: `{}` is a deprecated distroless Debian {} image",
                    from.line + 1,
                    from.image,
                    DEPRECATED_DISTROLESS_RELEASE
                )),
            _ => {}
        }
    }
    if let Some(run_release) = debian_release(&runtime.image) {
        for build in builds {
            if let Some(build_release) = debian_release(&build.image)
                && build_release != run_release
            {
                problems.push(format!(
                    "line {}: builder `{}` is Debian {build_release}, runtime `{}` is Debian {run_release}",
                    build.line + 1,
                    build.image,
                    runtime.image
                ));
            }
        }
    }
    problems
}

#[test]
fn the_chapters_dockerfiles_build_and_run_on_one_debian_release() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(CHAPTER);
    let markdown = fs::read_to_string(&path).unwrap();
    let blocks = dockerfile_blocks(&markdown);
    assert!(
        blocks.len() >= 2,
        "{CHAPTER}: expected the Go and the Rust Dockerfile, found {} block(s)",
        blocks.len()
    );
    let problems: Vec<String> = blocks
        .iter()
        .flat_map(|block| {
            shape_problems(&block.text).into_iter().map(move |problem| {
                format!(
                    "{CHAPTER}, Dockerfile starting at line {}: {problem}",
                    block.line
                )
            })
        })
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_builder_and_runtime_on_one_release_pass() {
    let dockerfile = "FROM --platform=$BUILDPLATFORM rust:1-trixie AS build\n\
                      RUN cargo build --release\n\
                      FROM gcr.io/distroless/cc-debian13:nonroot\n\
                      COPY --from=build /src/target/release/app /app\n";
    assert_eq!(shape_problems(dockerfile), Vec::<String>::new());
}

#[test]
fn a_newer_builder_than_runtime_is_caught() {
    let dockerfile = "FROM rust:1-trixie AS build\n\
                      FROM debian:bookworm-slim\n\
                      COPY --from=build /app /app\n";
    let problems = shape_problems(dockerfile);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("Debian 13") && problems[0].contains("Debian 12"));
}

#[test]
fn an_unpinned_image_and_a_deprecated_distroless_image_are_caught() {
    let dockerfile = "FROM golang:1.27 AS build\n\
                      FROM gcr.io/distroless/static-debian12:nonroot\n\
                      COPY --from=build /app /app\n";
    let problems = shape_problems(dockerfile);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].contains("golang:1.27") && problems[0].contains("no Debian release"));
    assert!(problems[1].contains("deprecated"));
}

#[test]
fn a_single_stage_or_a_runtime_copying_from_nothing_is_caught() {
    assert_eq!(
        shape_problems("FROM rust:1-trixie\n").len(),
        1,
        "one FROM is no build/runtime split"
    );
    let unlinked = "FROM rust:1-trixie AS build\nFROM debian:trixie-slim\nCOPY app /app\n";
    assert!(shape_problems(unlinked)[0].contains("copies from no build stage"));
    assert_eq!(shape_problems("RUN true\n"), vec!["has no FROM".to_owned()]);
}

#[test]
fn the_blocks_are_found_by_their_info_string_only() {
    let markdown = "text\n\n```Dockerfile title\nFROM a\n```\n\n```sh\nFROM b\n```\n";
    let blocks = dockerfile_blocks(markdown);
    assert_eq!(blocks.len(), 1);
    assert_eq!(blocks[0].text, "FROM a\n");
    assert_eq!(blocks[0].line, 4);
}

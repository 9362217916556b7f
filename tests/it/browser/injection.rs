//! The injection check: whether anything from a hostile dataset reached the DOM as markup.

use std::path::Path;

use anyhow::Result;
use serde_json::Value;

use super::driver::Browser;

/// The fixture's payloads set this global if any of them runs.
const FLAG: &str = "__pwned";

/// The payload of the fixture that is a Markdown link with a `javascript:` address.
pub(crate) const LINK_PAYLOAD: &str = "[a](javascript:alert(1))";

/// Copies the book at `from` into `to`, removing `text` from every file.
pub(crate) fn copy_without(from: &Path, to: &Path, text: &str) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let source = entry?.path();
        let target = to.join(source.file_name().unwrap_or_default());
        if source.is_dir() {
            copy_without(&source, &target, text)?;
        } else {
            std::fs::write(target, std::fs::read_to_string(&source)?.replace(text, ""))?;
        }
    }
    Ok(())
}

/// Inspects the loaded page for every way a payload could have become live markup.
/// Its argument is the name of [`FLAG`].
const INSPECT: &str = r#"
const flag = arguments[0];
const attributes = [...document.querySelectorAll('*')]
  .flatMap(e => [...e.attributes].map(a => [e, a]));
const show = ([e, a]) => `<${e.localName} ${a.name}="${a.value.slice(0, 60)}">`;
const main = document.querySelector('main');
return {
  flag: window[flag] ?? null,
  title: document.title,
  directives: document.querySelectorAll('.cmp').length,
  shownAsText: main.textContent.includes('<script>') && main.textContent.includes('onerror='),
  handlers: attributes.filter(([, a]) => /^on/i.test(a.name)).map(show),
  scriptUrls: attributes.filter(([, a]) => /^\s*javascript:/i.test(a.value)).map(show)
    .concat([...document.links].filter(l => l.protocol === 'javascript:').map(l => l.outerHTML)),
  scripts: [...main.querySelectorAll('script')].map(s => s.outerHTML.slice(0, 80)),
};
"#;

/// Checks the loaded page of the hostile fixture; returns what got through.
pub(crate) async fn check_injection(browser: &Browser) -> Result<Vec<String>> {
    let found = browser.eval(INSPECT, vec![FLAG.into()]).await?;
    let mut problems = Vec::new();
    if found["flag"] != Value::Null {
        problems.push(format!("a payload ran: window.{FLAG} = {}", found["flag"]));
    }
    if found["title"]
        .as_str()
        .is_none_or(|title| title.contains("pwned"))
    {
        problems.push(format!("a payload changed the title to {}", found["title"]));
    }
    if found["directives"].as_u64() < Some(2) {
        problems.push(format!("the directives did not render: {found}"));
    }
    if found["shownAsText"] != true {
        problems.push("the payloads are not shown as text".to_owned());
    }
    for (key, what) in [
        ("handlers", "event handler attribute"),
        ("scriptUrls", "javascript: URL"),
        ("scripts", "<script> in the chapter"),
    ] {
        for item in found[key].as_array().into_iter().flatten() {
            problems.push(format!("{what}: {}", item.as_str().unwrap_or_default()));
        }
    }
    let errors = browser.take_errors().await?;
    problems.extend(errors.into_iter().map(|e| format!("console: {e}")));
    Ok(problems)
}

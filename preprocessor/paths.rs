//! Where a path leads: inside a folder or out of it, lexically and through symbolic links; and
//! writing a file whole without following a link at its name. Pull requests may commit links,
//! so nothing is read or written through a path that has not passed these checks.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

/// `path` with `.` and `..` resolved lexically (a link is not followed): `None` when a `..`
/// climbs above the start of a relative path, or above the root of an absolute one.
pub(crate) fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    let mut depth = 0usize;
    for component in path.components() {
        match component {
            Component::Prefix(_) | Component::RootDir => out.push(component),
            Component::CurDir => {}
            Component::ParentDir => {
                if depth == 0 {
                    return None;
                }
                out.pop();
                depth -= 1;
            }
            Component::Normal(name) => {
                out.push(name);
                depth += 1;
            }
        }
    }
    Some(out)
}

/// `relative`, a path written from a base folder, as a path inside that folder: `None` when it
/// is absolute or its `..` leave the folder.
pub(crate) fn inside(relative: &Path) -> Option<PathBuf> {
    if relative.has_root() || relative.is_absolute() {
        return None;
    }
    normalize(relative)
}

/// The first folder or file along `relative` (a path inside `base`, already [`inside`]) that is
/// a symbolic link leading out of `base` (all links resolved), as a path relative to `base`.
/// Links that stay inside are passed; parts that do not exist end the walk.
pub(crate) fn link_out(base: &Path, relative: &Path) -> Option<PathBuf> {
    let real_base = fs::canonicalize(base).ok()?;
    let mut prefix = PathBuf::new();
    for component in relative.components() {
        prefix.push(component);
        let path = base.join(&prefix);
        let meta = fs::symlink_metadata(&path).ok()?;
        if meta.file_type().is_symlink() && !resolves_inside(&path, &real_base) {
            return Some(prefix);
        }
    }
    None
}

/// Whether `path`, every link resolved, is inside `real_folder` (a path with every link
/// resolved). A path that cannot be resolved (missing, a loop) is not.
pub(crate) fn resolves_inside(path: &Path, real_folder: &Path) -> bool {
    fs::canonicalize(path).is_ok_and(|real| real.starts_with(real_folder))
}

/// What was at a name before [`write_whole`] replaced it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Replaced {
    /// Nothing: the file is new.
    Nothing,
    /// A regular file.
    File,
    /// A symbolic link, replaced by a regular file (what it pointed at is untouched).
    Link,
}

/// Writes `text` as the regular file `path`: into a new temporary file in the same folder,
/// renamed over `path`. A reader sees the old file or the new one, never part of one, and a
/// symbolic link at `path` is replaced, never followed; the new file keeps the permissions of
/// what `path` showed. A folder at `path` is an error. The file reaches the disk before the
/// rename, for files a user keeps (`book.toml`, a stylesheet, a schema).
pub(crate) fn write_whole(path: &Path, text: &str) -> io::Result<Replaced> {
    replace(path, text, true)
}

/// Writes `text` as the regular file `path` of a build's output, which the next build writes
/// again: created in place when nothing has the name (mdBook's html renderer empties its folder
/// first, so a site's files are new), else as [`write_whole`] does, without waiting for the disk.
/// A symbolic link is never followed either way: creating refuses any name already there.
pub(crate) fn write_output(path: &Path, text: &str) -> io::Result<Replaced> {
    match OpenOptions::new().write(true).create_new(true).open(path) {
        Ok(mut file) => file.write_all(text.as_bytes()).map(|()| Replaced::Nothing),
        Err(err) if err.kind() == io::ErrorKind::AlreadyExists => replace(path, text, false),
        Err(err) => Err(err),
    }
}

/// Writes `text` over `path` through a temporary file and a rename; with `durable`, the file
/// reaches the disk first.
fn replace(path: &Path, text: &str, durable: bool) -> io::Result<Replaced> {
    let replaced = match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => Replaced::Link,
        Ok(meta) if meta.is_dir() => {
            return Err(io::Error::new(
                io::ErrorKind::IsADirectory,
                "a folder has this name",
            ));
        }
        Ok(_) => Replaced::File,
        Err(err) if err.kind() == io::ErrorKind::NotFound => Replaced::Nothing,
        Err(err) => return Err(err),
    };
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let temp = folder.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = (|| {
        // `create_new` fails on anything already there, a symbolic link included.
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        file.write_all(text.as_bytes())?;
        // The new file keeps the permissions of what the name shows now.
        if let Ok(meta) = fs::metadata(path) {
            file.set_permissions(meta.permissions())?;
        }
        if durable {
            file.sync_all()?;
        }
        // `rename` replaces the name itself: a link there is replaced, not followed.
        fs::rename(&temp, path)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&temp);
    }
    written.map(|()| replaced)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_lexically_and_refuses_to_climb_out() {
        let n = |p: &str| normalize(Path::new(p)).map(|p| p.display().to_string());
        assert_eq!(n("a/./b/../c"), Some("a/c".into()));
        assert_eq!(n("a/../.."), None);
        assert_eq!(n("/a/../b"), Some("/b".into()));
        assert_eq!(n("/.."), None);
        let i = |p: &str| inside(Path::new(p)).map(|p| p.display().to_string());
        assert_eq!(i("data/"), Some("data".into()));
        assert_eq!(i("sub/../data"), Some("data".into()));
        assert_eq!(i("../shared"), None);
        assert_eq!(i("/srv/data"), None);
    }

    #[cfg(unix)]
    #[test]
    fn finds_the_first_link_that_leads_out() {
        let outside = tempfile::tempdir().unwrap();
        let base = tempfile::tempdir().unwrap();
        fs::create_dir_all(base.path().join("in/deep")).unwrap();
        std::os::unix::fs::symlink(outside.path(), base.path().join("in/deep/out")).unwrap();
        std::os::unix::fs::symlink("deep", base.path().join("in/near")).unwrap();
        let link = |p: &str| link_out(base.path(), Path::new(p));
        assert_eq!(link("in/deep/x"), None);
        assert_eq!(link("in/deep/out/x"), Some(PathBuf::from("in/deep/out")));
        assert_eq!(link("in/near"), None);
        assert_eq!(link("in/near/out"), Some(PathBuf::from("in/near/out")));
    }

    #[cfg(unix)]
    #[test]
    fn write_whole_replaces_a_link_without_following_it() {
        let outside = tempfile::tempdir().unwrap();
        let target = outside.path().join("victim");
        fs::write(&target, "kept\n").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.json");
        std::os::unix::fs::symlink(&target, &path).unwrap();
        assert_eq!(write_whole(&path, "new\n").unwrap(), Replaced::Link);
        assert_eq!(fs::read_to_string(&target).unwrap(), "kept\n");
        assert!(fs::symlink_metadata(&path).unwrap().is_file());
        assert_eq!(write_whole(&path, "new\n").unwrap(), Replaced::File);
        fs::create_dir(dir.path().join("d")).unwrap();
        assert!(write_whole(&dir.path().join("d"), "x").is_err());
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            2,
            "no temporary file left"
        );
    }

    #[cfg(unix)]
    #[test]
    fn write_output_creates_in_place_and_never_follows_a_link() {
        let outside = tempfile::tempdir().unwrap();
        let target = outside.path().join("victim");
        fs::write(&target, "kept\n").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let fresh = dir.path().join("new.txt");
        assert_eq!(write_output(&fresh, "a\n").unwrap(), Replaced::Nothing);
        assert_eq!(fs::read_to_string(&fresh).unwrap(), "a\n");
        assert_eq!(write_output(&fresh, "b\n").unwrap(), Replaced::File);
        assert_eq!(fs::read_to_string(&fresh).unwrap(), "b\n");
        let link = dir.path().join("link.txt");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert_eq!(write_output(&link, "new\n").unwrap(), Replaced::Link);
        assert_eq!(fs::read_to_string(&target).unwrap(), "kept\n");
        assert!(fs::symlink_metadata(&link).unwrap().is_file());
        let dangling = dir.path().join("dangling.txt");
        std::os::unix::fs::symlink(outside.path().join("made"), &dangling).unwrap();
        assert_eq!(write_output(&dangling, "x\n").unwrap(), Replaced::Link);
        assert!(
            !outside.path().join("made").exists(),
            "nothing created through the link"
        );
        fs::create_dir(dir.path().join("d")).unwrap();
        assert!(write_output(&dir.path().join("d"), "x").is_err());
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            4,
            "no temporary file left"
        );
    }
}

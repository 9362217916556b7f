//! Reading one data file, safely: data comes from pull requests, so a file must be a regular
//! file inside the data folder (a symlink may not lead out of it, to `/proc/self/environ` say),
//! at most [`MAX_BYTES`] long, and is opened so that a FIFO or a device can never block the build.
//! A file that fails these checks is reported by its name alone: its content is never read.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Location, SourceFile, describe_io_error};

/// The largest data file read: 8 MiB, far more than any dataset needs.
pub(crate) const MAX_BYTES: u64 = 8 * 1024 * 1024;

/// The data folder, resolved once, that every data file must stay inside.
#[derive(Debug)]
pub(crate) struct DataFolder {
    /// The folder with every symlink resolved.
    real: PathBuf,
    /// The folder as shown to the user.
    shown: String,
}

impl DataFolder {
    /// The folder at `dir`, shown to the user as `shown`.
    pub(crate) fn new(dir: &Path, shown: &str) -> io::Result<DataFolder> {
        Ok(DataFolder {
            real: fs::canonicalize(dir)?,
            shown: shown.to_string(),
        })
    }

    /// Whether `real`, a path with every symlink resolved, is inside the folder.
    pub(crate) fn holds(&self, real: &Path) -> bool {
        real.starts_with(&self.real)
    }

    /// The error for a `what` ("file", "folder") shown as `shown` that leads out of the folder.
    pub(crate) fn outside(&self, what: &str, shown: String) -> Box<Diagnostic> {
        Box::new(
            Diagnostic::error(
                format!("the {what} leads out of the data folder `{}`", self.shown),
                Location::Path(shown),
            )
            .with_help(format!(
                "data is read only inside `{}`: put the {what} itself there, not a link",
                self.shown
            )),
        )
    }

    /// Reads the UTF-8 file at `path`, shown to the user as `shown`; or says why it may not
    /// be read, without quoting it.
    pub(crate) fn read(&self, path: &Path, shown: String) -> Result<SourceFile, Box<Diagnostic>> {
        let refuse = |message: String, help: String| {
            Box::new(Diagnostic::error(message, Location::Path(shown.clone())).with_help(help))
        };
        let cannot_read = |err: &io::Error| {
            Box::new(Diagnostic::error(
                format!("cannot read the file: {}", describe_io_error(err)),
                Location::Path(shown.clone()),
            ))
        };
        let real = fs::canonicalize(path).map_err(|err| cannot_read(&err))?;
        if !self.holds(&real) {
            return Err(self.outside("file", shown));
        }
        // The kind is checked before opening (opening a socket fails with a confusing error),
        // and again on the opened file, which cannot have been swapped since.
        let kind = fs::metadata(&real).map_err(|err| cannot_read(&err))?;
        if kind.is_dir() {
            return Err(refuse(
                "expected a file, found a folder".into(),
                "remove the folder, or move its contents up".into(),
            ));
        }
        let mut file = open_without_blocking(&real).map_err(|err| cannot_read(&err))?;
        let meta = file.metadata().map_err(|err| cannot_read(&err))?;
        if !kind.is_file() || !meta.is_file() {
            return Err(refuse(
                format!(
                    "expected a regular file, found {}",
                    describe_kind(&kind.file_type())
                ),
                "a data file is a TOML text file: replace this with one".into(),
            ));
        }
        let mut bytes = Vec::new();
        if meta.len() <= MAX_BYTES {
            // `take` bounds the read even when the size reported was wrong or has grown.
            (&mut file)
                .take(MAX_BYTES + 1)
                .read_to_end(&mut bytes)
                .map_err(|err| cannot_read(&err))?;
        }
        if meta.len() > MAX_BYTES || bytes.len() as u64 > MAX_BYTES {
            return Err(refuse(
                format!(
                    "the file is larger than the {} MiB a data file may have",
                    MAX_BYTES / (1024 * 1024)
                ),
                "split the data into several files, or keep raw figures out of the dataset".into(),
            ));
        }
        SourceFile::from_utf8(bytes, shown)
    }
}

/// Opens `path` for reading without waiting: on a FIFO with no writer, `open` would block.
fn open_without_blocking(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

/// What a file that is not a regular file is, in words.
fn describe_kind(kind: &fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    let _ = kind;
    "something else"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder() -> (tempfile::TempDir, DataFolder) {
        let temp = tempfile::tempdir().unwrap();
        fs::create_dir(temp.path().join("data")).unwrap();
        let folder = DataFolder::new(&temp.path().join("data"), "data").unwrap();
        (temp, folder)
    }

    fn refused(folder: &DataFolder, path: &Path) -> String {
        let err = folder.read(path, "data/x.toml".into()).unwrap_err();
        assert!(matches!(err.location, Location::Path(_)), "{err}");
        err.message
    }

    #[test]
    fn reads_a_regular_file_and_a_link_inside_the_folder() {
        let (temp, folder) = folder();
        let file = temp.path().join("data/a.toml");
        fs::write(&file, "a = 1\n").unwrap();
        assert_eq!(&*folder.read(&file, "a".into()).unwrap().text, "a = 1\n");
        #[cfg(unix)]
        {
            let link = temp.path().join("data/b.toml");
            std::os::unix::fs::symlink("a.toml", &link).unwrap();
            assert_eq!(&*folder.read(&link, "b".into()).unwrap().text, "a = 1\n");
        }
    }

    #[cfg(unix)]
    #[test]
    fn refuses_links_out_of_the_folder_devices_and_fifos_without_reading_them() {
        let (temp, folder) = folder();
        let link = |name: &str, target: &str| {
            let path = temp.path().join("data").join(name);
            std::os::unix::fs::symlink(target, &path).unwrap();
            path
        };
        fs::write(temp.path().join("book.toml"), "secret").unwrap();
        for target in ["/proc/self/environ", "../book.toml", "/etc/passwd"] {
            assert_eq!(
                refused(&folder, &link(&target.replace('/', "_"), target)),
                "the file leads out of the data folder `data`"
            );
        }
        let fifo = temp.path().join("data/fifo.toml");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|status| status.success()) {
            assert_eq!(
                refused(&folder, &fifo),
                "expected a regular file, found a named pipe (FIFO)"
            );
        }
        let inside_dev = DataFolder::new(Path::new("/dev"), "dev").unwrap();
        assert_eq!(
            refused(&inside_dev, Path::new("/dev/zero")),
            "expected a regular file, found a device"
        );
    }

    #[test]
    fn refuses_a_file_over_the_cap() {
        let (temp, folder) = folder();
        let file = temp.path().join("data/big.toml");
        let handle = File::create(&file).unwrap();
        handle.set_len(MAX_BYTES + 1).unwrap();
        assert_eq!(
            refused(&folder, &file),
            "the file is larger than the 8 MiB a data file may have"
        );
        handle.set_len(MAX_BYTES).unwrap();
        assert!(folder.read(&file, "big".into()).is_ok());
    }
}

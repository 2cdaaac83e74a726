/* stickw.h — writing to a USB stick (export, init, pack, the import report)
 * as root without ever following a link that a crafted stick placed at
 * noticeboard/, media/ or ticker.csv.tmp to lead a write onto the box. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

/* Opens the folder `name` (one path component, no '/') inside the folder
 * dfd, creating it (mode 0755) first when absent and create is set.  Never
 * through a symlink: O_NOFOLLOW|O_DIRECTORY, so a link or a file standing
 * there fails with ELOOP or ENOTDIR (and nothing is created through it).
 * Returns a new O_DIRECTORY fd (the caller closes it) or -1 with errno. */
int stickw_dir(int dfd, const char *name, bool create);

/* Opens the folder DEST/noticeboard for writing: DEST is the installer's
 * argument (followed like any path given on the command line; created when
 * absent), noticeboard/ is opened with stickw_dir.  -1 with errno. */
int stickw_bundle_dir(const char *dest, bool create);

/* Writes data as `name` in the folder dfd, replacing what is there: a new
 * temporary file ".nb-XXXXXXXXXXXX.tmp" (random, created with
 * O_CREAT|O_EXCL|O_NOFOLLOW, so an existing file or link of that name is
 * never opened: another name is drawn), written and fsynced, renamed over
 * `name` within dfd (renameat replaces a symlink called `name`, it does not
 * follow it), then dfd fsynced.  false with errno; the temporary is gone. */
bool stickw_replace(int dfd, const char *name, const void *data, size_t len);

/* Writes data as the new file `name` in dfd (O_CREAT|O_EXCL|O_NOFOLLOW),
 * fsynced.  false with errno; EEXIST when anything, a link included,
 * already has that name (nothing is written then). */
bool stickw_create(int dfd, const char *name, const void *data, size_t len);

/* One sentence for staff on why writing `what` (a name on the stick, as
 * shown) failed with errno err: a link or file in the way of a folder
 * (ELOOP, ENOTDIR), a full stick, a write-protected stick, anything else.
 * malloc'd. */
char *stickw_why(const char *what, int err);

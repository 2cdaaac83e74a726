/* commands.h — the sync tool's bundle-authoring subcommands.  Each takes
 * argv[0] = the subcommand name and its options as docs/man/noticeboard-sync.1 gives them,
 * and returns the exit status (0 done, 1 rejected, 2 usage, 3 not
 * authorized, 4 I/O failure). */
#pragma once

int pack_main(int argc, char **argv);
int init_main(int argc, char **argv);
int export_main(int argc, char **argv);

/* The saved appliance's files in the appliance's cache slot
 * (saved-slot.c), shared by every process that launches from it.
 *
 * For one key (everything that changes the guest, hashed into HASH):
 *   saved-HASH.key         the key text, then one line naming the
 *                          current build and its files' sizes; written
 *                          last, by rename, so it only ever names a
 *                          complete build;
 *   saved-HASH-BUILD.state the VM's state (QMP migrate);
 *   saved-HASH-BUILD.qcow2 the appliance disk as that VM left it.
 * and saved.lock, held exclusively by whoever builds, discards or
 * prunes.
 *
 * Readers take no lock: a build gets file names of its own, so a
 * launch reading one build never sees another's files under the same
 * name, and a file removed while a launch has it open stays readable
 * by that launch.  The one race left, a file removed between reading
 * the key and opening the file, makes that launch boot normally
 * without harming the slot.
 *
 * Nothing here uses the library handle: failures return -1 with errno
 * set, or a reason in *why.
 */
#ifndef GUESTFS_SAVED_SLOT_H
#define GUESTFS_SAVED_SLOT_H

#include <stdint.h>

struct saved_slot {
  char *dir;     /* the appliance's cache slot */
  char *stem;    /* dir/saved-HASH */
  char *key;     /* stem.key */
  char *lock;    /* dir/saved.lock */
  char *keytext; /* what the key file starts with */
  /* The build the key file names (saved_slot_read) or being made
   * (saved_slot_new_build); NULL: none. */
  char *build, *state, *overlay;
  intmax_t state_size, overlay_size;
};

/* dir: the cache slot; keytext (taken over): the key.  -1: no memory. */
int saved_slot_init (struct saved_slot *s, const char *dir, char *keytext);
void saved_slot_free (struct saved_slot *s);

/* Reads the key file.  1: it names a build for this key, whose files
 * are there with the sizes recorded (build, state and overlay set);
 * 0: no usable build, *why says why (a missing build, or a damaged
 * one, whose names are then set so that it can be discarded). */
int saved_slot_read (struct saved_slot *s, const char **why);

/* Takes the slot's lock (blocking); returns its descriptor, or -1. */
int saved_slot_lock (const struct saved_slot *s);

/* Names a new build (build, state, overlay) nobody else uses. */
int saved_slot_new_build (struct saved_slot *s);

/* The new build's files are complete: records their sizes and makes
 * it the current one (the key file, by rename).  Under the lock. */
int saved_slot_commit (struct saved_slot *s);

/* Removes the key and the files of s's build if the key file still
 * names that build (another launch may have rebuilt it meanwhile).
 * Takes the lock itself unless locked. */
void saved_slot_discard (struct saved_slot *s, bool locked);

/* The current build was used: pruning keeps the most recently used. */
void saved_slot_used (const struct saved_slot *s);

/* Under the lock: keeps the keep most recently used keys (and s's),
 * and removes every file of the slot's saved builds that no remaining
 * key names (older builds, builds left by a killed builder). */
void saved_slot_prune (const struct saved_slot *s, int keep);

#endif /* GUESTFS_SAVED_SLOT_H */

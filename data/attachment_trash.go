package data

import (
	"context"
	"database/sql"
	"strings"
)

// keyAttachmentTrash names the settings row listing the content hashes of
// stored attachment files whose rows a committed transaction removed (an
// approved destruction). The row is written in that transaction and
// cleared once the files are gone, so a crash between the commit and the
// removal of the files leaves the list behind, and the next Open finishes
// the job: a destroyed item's files never outlive its destruction.
const keyAttachmentTrash = "attachments_to_remove"

// queueBlobRemoval adds hashes to the list, inside tx.
func queueBlobRemoval(ctx context.Context, tx *sql.Tx, hashes []string) error {
	if len(hashes) == 0 {
		return nil
	}
	old, err := getSetting(ctx, tx, keyAttachmentTrash)
	if err != nil {
		return err
	}
	list := strings.Join(hashes, "\n")
	if old != "" {
		list = old + "\n" + list
	}
	return setSetting(ctx, tx, keyAttachmentTrash, list)
}

// removeQueuedBlobs deletes the listed files that no attachment row uses
// any more, then the list. Cheap when there is none (one keyed read), so
// Open calls it.
func (s *Store) removeQueuedBlobs(ctx context.Context) error {
	list, err := getSetting(ctx, s.db, keyAttachmentTrash)
	if err != nil || list == "" {
		return err
	}
	for _, h := range strings.Split(list, "\n") {
		if h != "" {
			s.removeBlobIfUnused(ctx, h)
		}
	}
	_, err = s.db.ExecContext(ctx, `DELETE FROM settings WHERE key = ? AND value = ?`, keyAttachmentTrash, list)
	return err
}

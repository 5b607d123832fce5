"""Changes to the numbers a listing may ring, and to the consent behind them, go to the audit log (rule 9).

Rows an import creates in bulk are not entries (they are the file, and the import report says what it did);
every later change to a facility or a phone, by an import, a reviewed listing edit or the admin, is.
"""

from clearline.lib.audit import track_changes

from .models import Facility, ListingConsent, Phone

track_changes(Facility, "directory.facility")
track_changes(Phone, "directory.phone")
track_changes(ListingConsent, "directory.listing_consent")

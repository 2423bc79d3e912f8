"""Returns as spreadsheets: the pre-filled download and the uploads (one agency's return, or the
business manager's file of many agencies' returns)."""

from .download import return_filename, return_workbook, sheet_frame
from .upload import UploadOutcome, bulk_upload, return_upload

__all__ = ["UploadOutcome", "bulk_upload", "return_filename", "return_upload", "return_workbook", "sheet_frame"]

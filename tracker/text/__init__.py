"""Text layer: bytes and files to verbatim text, and text to parts, chapters and sentences."""

from tracker.text.decode import decode_bytes, read_report
from tracker.text.segment import Chapter, Part, Segmented, Sentence, segment

__all__ = ["Chapter", "Part", "Segmented", "Sentence", "decode_bytes", "read_report", "segment"]

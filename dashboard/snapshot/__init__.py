"""A snapshot's frozen content: sections, visuals copied in, the HTML download."""

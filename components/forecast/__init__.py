"""The forecast viewer: fan charts, the item picker, how the file read, accuracy."""

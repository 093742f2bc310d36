"""The app shell: page config, navigation, the connection sidebar, sign-in."""

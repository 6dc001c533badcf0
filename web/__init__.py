"""The results dashboard: a server-rendered web app beside the bot (aiohttp + Jinja2)."""

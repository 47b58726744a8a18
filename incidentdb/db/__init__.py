"""The database side: settings, the embedded server and its serving, engines and connections,
migrations, status and the writers' lock."""

"""Dutch by default, English when the person asks for it with the language switch."""


def test_the_login_page_is_dutch_even_for_an_english_browser(db, client):
    page = client.get("/inloggen/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert page["Content-Language"] == "nl"
    assert 'lang="nl"' in page.content.decode()
    assert "Gebruikersnaam" in page.content.decode()


def test_the_language_switch_turns_the_pages_english_and_back(db, client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/inloggen/"})
    english = client.get("/inloggen/").content.decode()

    assert 'lang="en"' in english
    assert "Gebruikersnaam" not in english
    assert "Username" in english

    client.post("/i18n/setlang/", {"language": "nl", "next": "/inloggen/"})
    assert "Gebruikersnaam" in client.get("/inloggen/").content.decode()

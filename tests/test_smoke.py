def test_home_needs_sign_in(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert "/sign-in/" in response["Location"]


def test_om_sees_caseload(world, sign_in):
    client = sign_in(world.users.om)
    response = client.get("/")
    assert response.status_code == 200
    assert b"Jonathan Smith" in response.content
    assert b"OFFICIAL-SENSITIVE" in response.content

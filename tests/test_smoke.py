def test_it_shows_the_secretary_their_branch(login, world):
    response = login("secretary").get("/", follow=True)
    assert response.status_code == 200
    assert world.branch.name in response.content.decode()

"""The calculators' pages, posted as a member of staff with a role (a partner agency's: any role will do)."""

import pytest
from django.urls import reverse


@pytest.fixture
def page(client, world, sign_in):
    sign_in(world.users.partner)

    def post(name: str, data: dict):
        response = client.post(reverse(f"calculators:{name}"), data)
        assert response.status_code == 200
        return response, response.content.decode()

    return post

"""The purpose of access follows the page's work where it is obvious (access/purposes.purpose_of_page).

Before the view runs (so that the gate's audit events carry it), a page whose work is obvious sets the
session's purpose and says so under the header; any other page keeps the purpose carried from the last
one and the header asks whether it is still the reason. A purpose chosen on the purpose page is kept on
the pages of the section it was chosen in (and on my work, whose work is many things) until the user
opens a page of other work.
"""

from __future__ import annotations

from safeguard.access.purposes import Purpose, purpose_of_page

PURPOSE = "purpose"
SOURCE = "purpose_source"  # "page": set by a page's work; "chosen": chosen by the user; absent: the default
CHOSEN_IN = "purpose_chosen_in"  # the URL namespace of the page the purpose was chosen for
CHOSEN, PAGE = "chosen", "page"
SOFT_PAGES = {("web", "home")}  # the role's default here gives way to a purpose the user chose


class PurposeFollowsPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        request.purpose_set_by_page = False
        user = getattr(request, "user", None)
        match = getattr(request, "resolver_match", None)
        if user is None or not user.is_authenticated or match is None or request.path.startswith("/api/"):
            return None
        section = match.namespace or ""
        purpose = purpose_of_page(section, match.url_name or "", user.roles or [])
        if purpose is None or purpose == Purpose.SYSTEM:
            return None
        if request.session.get(SOURCE) == CHOSEN and (
            (section, match.url_name) in SOFT_PAGES or request.session.get(CHOSEN_IN) == section
        ):
            return None
        request.purpose_set_by_page = True
        if request.session.get(PURPOSE) != purpose or request.session.get(SOURCE) != PAGE:
            request.session[PURPOSE] = purpose
            request.session[SOURCE] = PAGE
        return None

from django.contrib import admin

from candidates.models import Candidate, Enrolment, Match


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ["__str__", "organisation", "consultant", "postcode", "route", "is_demo"]
    list_filter = ["route", "organisation__kind", "is_demo"]
    search_fields = ["last_name", "first_name", "email"]
    autocomplete_fields = [
        "organisation",
        "consultant",
        "postcode",
        "wished_kwalificaties",
        "wished_dossiers",
    ]
    list_select_related = ["organisation", "consultant", "postcode"]


@admin.register(Match)
class MatchAdmin(admin.ModelAdmin):
    list_display = ["candidate", "leerbaan", "score", "status", "updated_at"]
    list_filter = ["status"]
    search_fields = ["candidate__last_name", "leerbaan__titel"]
    autocomplete_fields = ["candidate", "leerbaan"]
    list_select_related = ["candidate", "leerbaan"]


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["candidate", "instelling", "kwalificatie", "route", "status", "start_date"]
    list_filter = ["status", "route"]
    search_fields = ["candidate__last_name", "instelling__naam", "kwalificatie__crebo"]
    autocomplete_fields = ["candidate", "leerbaan", "instelling", "kwalificatie"]
    list_select_related = ["candidate", "instelling", "kwalificatie"]

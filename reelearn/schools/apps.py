from django.apps import AppConfig, apps


class SchoolsConfig(AppConfig):
    name = "reelearn.schools"
    label = "schools"
    verbose_name = "Schools"

    def ready(self) -> None:
        from reelearn.accounts import mfa

        from .selectors import is_school_admin

        # School admins verify teachers: like editors, they must use a second factor.
        mfa.require_for(is_school_admin)
        # Domain joins follow allauth's confirmation of an address; without allauth installed
        # (it arrives with the sign-in rework) there is nothing to listen to.
        if apps.is_installed("allauth.account"):
            from allauth.account.signals import email_confirmed

            from .receivers import join_school_by_confirmed_email

            email_confirmed.connect(
                join_school_by_confirmed_email, dispatch_uid="schools.email_confirmed"
            )

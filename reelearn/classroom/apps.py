from django.apps import AppConfig


class ClassroomConfig(AppConfig):
    name = "reelearn.classroom"
    label = "classroom"

    def ready(self) -> None:
        from reelearn.schools.contributions import register_admin_page

        register_admin_page("classroom:school-admin")

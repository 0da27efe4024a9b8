from django.urls import path

from apps.accounts import apis as account_apis
from apps.catalog import apis as catalog_apis
from apps.contracts import apis as contract_apis
from apps.groups import apis as group_apis
from apps.groups import joint_apis
from apps.invoicing import apis as invoicing_apis
from apps.invoicing import apis_bank
from apps.outlook import apis as outlook_apis
from apps.surveys import apis as survey_apis
from apps.tenants import apis as tenant_apis
from apps.training import apis as training_apis
from apps.vendors import apis as vendor_apis

urlpatterns = [
    path("auth/token/", account_apis.TokenObtainApi.as_view(), name="api-token"),
    path("auth/tokens/", account_apis.TokensApi.as_view(), name="api-tokens"),
    path(
        "auth/tokens/<id:token_id>/", account_apis.TokenRevokeApi.as_view(), name="api-token-revoke"
    ),
    path("auth/logout/", account_apis.LogoutApi.as_view(), name="api-logout"),
    path("me/", account_apis.MeApi.as_view(), name="api-me"),
    path("staff/", account_apis.StaffListCreateApi.as_view(), name="api-staff"),
    path("bodies/", tenant_apis.BodyListApi.as_view(), name="api-bodies"),
    path("bodies/<code:code>/", tenant_apis.BodyDetailApi.as_view(), name="api-body"),
    path("groups/", group_apis.GroupListApi.as_view(), name="api-groups"),
    path("groups/<id:group_id>/", group_apis.GroupDetailApi.as_view(), name="api-group"),
    path("vendors/<id:vendor_id>/", vendor_apis.VendorDetailApi.as_view(), name="api-vendor"),
    # catalogue
    path("listings/", catalog_apis.ListingSearchApi.as_view(), name="api-listings"),
    path("listings/compare/", catalog_apis.ListingCompareApi.as_view(), name="api-compare"),
    path("listings/<id:listing_id>/", catalog_apis.ListingDetailApi.as_view(), name="api-listing"),
    path(
        "listings/<id:listing_id>/quote/", catalog_apis.ListingQuoteApi.as_view(), name="api-quote"
    ),
    path("vendor/listings/", catalog_apis.VendorListingsApi.as_view(), name="api-vendor-listings"),
    path(
        "vendor/listings/<id:listing_id>/",
        catalog_apis.VendorListingApi.as_view(),
        name="api-vendor-listing",
    ),
    path(
        "vendor/listings/<id:listing_id>/publish/",
        catalog_apis.VendorListingPublishApi.as_view(),
        name="api-vendor-listing-publish",
    ),
    path(
        "vendor/listings/<id:listing_id>/withdraw/",
        catalog_apis.VendorListingWithdrawApi.as_view(),
        name="api-vendor-listing-withdraw",
    ),
    path(
        "vendor/listings/<id:listing_id>/fee-schedules/",
        catalog_apis.VendorFeeSchedulesApi.as_view(),
        name="api-vendor-fee-schedules",
    ),
    path(
        "vendor/fee-schedules/<id:schedule_id>/publish/",
        catalog_apis.VendorFeeSchedulePublishApi.as_view(),
        name="api-fee-schedule-publish",
    ),
    # applications and contracts
    path("applications/", contract_apis.ApplicationsApi.as_view(), name="api-applications"),
    path(
        "applications/<id:application_id>/",
        contract_apis.ApplicationDetailApi.as_view(),
        name="api-application",
    ),
    path(
        "applications/<id:application_id>/reviews/",
        contract_apis.ApplicationReviewsApi.as_view(),
        name="api-application-reviews",
    ),
    path(
        "applications/<id:application_id>/accept/",
        contract_apis.ApplicationAcceptApi.as_view(),
        name="api-application-accept",
    ),
    path(
        "applications/<id:application_id>/decline/",
        contract_apis.ApplicationDeclineApi.as_view(),
        name="api-application-decline",
    ),
    path(
        "applications/<id:application_id>/withdraw/",
        contract_apis.ApplicationWithdrawApi.as_view(),
        name="api-application-withdraw",
    ),
    path("contracts/", contract_apis.ContractsApi.as_view(), name="api-contracts"),
    path(
        "contracts/<id:contract_id>/",
        contract_apis.ContractDetailApi.as_view(),
        name="api-contract",
    ),
    path(
        "contracts/<id:contract_id>/renew/",
        contract_apis.ContractRenewApi.as_view(),
        name="api-contract-renew",
    ),
    path(
        "contracts/<id:contract_id>/cancel/",
        contract_apis.ContractCancelApi.as_view(),
        name="api-contract-cancel",
    ),
    path(
        "groups/<id:group_id>/usage/",
        contract_apis.GroupUsageApi.as_view(),
        name="api-group-usage",
    ),
    # invoicing
    path(
        "apportionment/preview",
        invoicing_apis.ApportionmentPreviewApi.as_view(),
        name="api-apportionment-preview",
    ),
    path("invoices/", invoicing_apis.InvoicesApi.as_view(), name="api-invoices"),
    path(
        "invoices/issue-all/",
        invoicing_apis.InvoiceIssueAllApi.as_view(),
        name="api-invoices-issue-all",
    ),
    path(
        "invoices/<id:invoice_id>/", invoicing_apis.InvoiceDetailApi.as_view(), name="api-invoice"
    ),
    path(
        "invoices/<id:invoice_id>/issue/",
        invoicing_apis.InvoiceIssueApi.as_view(),
        name="api-invoice-issue",
    ),
    path(
        "invoices/<id:invoice_id>/credit/",
        invoicing_apis.InvoiceCreditApi.as_view(),
        name="api-invoice-credit",
    ),
    path(
        "invoices/<id:invoice_id>/payments/",
        invoicing_apis.PaymentsApi.as_view(),
        name="api-invoice-payments",
    ),
    path(
        "invoices/<id:invoice_id>/payments/<id:payment_id>/reverse/",
        invoicing_apis.PaymentReverseApi.as_view(),
        name="api-payment-reverse",
    ),
    path(
        "invoice-runs/<fy:fiscal_year>/",
        invoicing_apis.InvoiceRunApi.as_view(),
        name="api-invoice-run",
    ),
    path(
        "groups/<id:group_id>/invoice-runs/<fy:fiscal_year>/",
        invoicing_apis.GroupInvoiceRunApi.as_view(),
        name="api-group-invoice-run",
    ),
    # council joint services
    path("issuers/", apis_bank.IssuersApi.as_view(), name="api-issuers"),
    path("issuers/profile/", apis_bank.IssuerProfileApi.as_view(), name="api-issuer-profile"),
    path("bank-statements/", apis_bank.BankStatementsApi.as_view(), name="api-bank-statements"),
    path(
        "bank-statements/<id:statement_id>/",
        apis_bank.BankStatementDetailApi.as_view(),
        name="api-bank-statement",
    ),
    path("bank-credits/", apis_bank.BankCreditsApi.as_view(), name="api-bank-credits"),
    path(
        "bank-credits/<id:credit_id>/assign/",
        apis_bank.BankCreditAssignApi.as_view(),
        name="api-bank-credit-assign",
    ),
    path(
        "bank-credits/<id:credit_id>/ignore/",
        apis_bank.BankCreditIgnoreApi.as_view(),
        name="api-bank-credit-ignore",
    ),
    path("joint-services/", joint_apis.JointServicesApi.as_view(), name="api-joint-services"),
    path(
        "joint-services/<id:service_id>/",
        joint_apis.JointServiceDetailApi.as_view(),
        name="api-joint-service",
    ),
    path(
        "joint-services/<id:service_id>/years/<fy:fiscal_year>/",
        joint_apis.JointServiceYearApi.as_view(),
        name="api-joint-service-year",
    ),
    # training and outside experts
    path("training/sessions/", training_apis.SessionsApi.as_view(), name="api-sessions"),
    path(
        "training/sessions/<id:session_id>/apply/",
        training_apis.SessionApplyApi.as_view(),
        name="api-session-apply",
    ),
    path("training/seats/", training_apis.SeatsApi.as_view(), name="api-seats"),
    path(
        "training/seats/<id:seat_id>/cancel/",
        training_apis.SeatCancelApi.as_view(),
        name="api-seat-cancel",
    ),
    path(
        "training/seats/<id:seat_id>/approve/",
        training_apis.SeatApproveApi.as_view(),
        name="api-seat-approve",
    ),
    path(
        "training/seats/<id:seat_id>/attendance/",
        training_apis.SeatAttendanceApi.as_view(),
        name="api-seat-attendance",
    ),
    path("training/programmes/", training_apis.ProgrammesApi.as_view(), name="api-programmes"),
    path(
        "training/programmes/<id:programme_id>/sessions/",
        training_apis.ProgrammeSessionsApi.as_view(),
        name="api-programme-sessions",
    ),
    path("advisers/", training_apis.AdvisersApi.as_view(), name="api-advisers"),
    # choosing what to share: needs surveys, savings, decisions, calls for services
    path("surveys/", survey_apis.SurveysApi.as_view(), name="api-surveys"),
    path("surveys/<id:survey_id>/", survey_apis.SurveyDetailApi.as_view(), name="api-survey"),
    path(
        "surveys/<id:survey_id>/deadline/",
        survey_apis.SurveyDeadlineApi.as_view(),
        name="api-survey-deadline",
    ),
    path(
        "surveys/<id:survey_id>/reminders/",
        survey_apis.SurveyRemindersApi.as_view(),
        name="api-survey-reminders",
    ),
    path(
        "surveys/<id:survey_id>/answers/",
        survey_apis.SurveyAnswersApi.as_view(),
        name="api-survey-answers",
    ),
    path(
        "surveys/<id:survey_id>/draft/",
        survey_apis.SurveyDraftApi.as_view(),
        name="api-survey-draft",
    ),
    path(
        "surveys/<id:survey_id>/draft/comments/",
        survey_apis.SurveyDraftCommentsApi.as_view(),
        name="api-survey-draft-comments",
    ),
    path(
        "surveys/<id:survey_id>/draft/submit/",
        survey_apis.SurveySubmitApi.as_view(),
        name="api-survey-submit",
    ),
    path(
        "surveys/<id:survey_id>/results/",
        survey_apis.SurveyResultsApi.as_view(),
        name="api-survey-results",
    ),
    path(
        "surveys/<id:survey_id>/options/",
        survey_apis.SurveyOptionsApi.as_view(),
        name="api-survey-options",
    ),
    path(
        "surveys/<id:survey_id>/savings/",
        survey_apis.SurveySavingsApi.as_view(),
        name="api-survey-savings",
    ),
    path(
        "surveys/<id:survey_id>/decisions/",
        survey_apis.SurveyDecisionsApi.as_view(),
        name="api-survey-decisions",
    ),
    path(
        "survey-invitations/", survey_apis.InvitationsApi.as_view(), name="api-survey-invitations"
    ),
    path(
        "survey-invitations/<id:invitation_id>/",
        survey_apis.InvitationAnswerApi.as_view(),
        name="api-survey-invitation",
    ),
    path("service-calls/", survey_apis.CallsApi.as_view(), name="api-service-calls"),
    path(
        "service-calls/<id:call_id>/", survey_apis.CallDetailApi.as_view(), name="api-service-call"
    ),
    path(
        "service-calls/<id:call_id>/responses/",
        survey_apis.CallRespondApi.as_view(),
        name="api-service-call-responses",
    ),
    path("outlook/", outlook_apis.OutlookApi.as_view(), name="api-outlook"),
    path(
        "groups/<id:group_id>/outlook/",
        outlook_apis.GroupOutlookApi.as_view(),
        name="api-group-outlook",
    ),
]

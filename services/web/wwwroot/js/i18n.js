// Korean and English. The first visit follows navigator.language; a choice in the header is kept in localStorage.
const STORAGE_KEY = 'dr.lang';

const messages = {
  en: {
    'app.title': 'DaprReservations',
    'skip': 'Skip to content',
    'nav.label': 'Main',
    'nav.catalog': 'Catalog',
    'nav.orders': 'My reservations',
    'nav.admin': 'Admin',
    'lang.label': 'Language',
    'signin.title': 'Sign in',
    'signin.button': 'Sign in',
    'signin.signedIn': 'Signed in as {name}',
    'signin.signOut': 'Sign out',
    'signin.needed': 'Sign in to hold seats and see your reservations.',
    'signin.failed': 'Sign-in failed: {detail}',
    'catalog.title': 'Catalog',
    'catalog.empty': 'Nothing to reserve yet.',
    'catalog.open': 'Show times',
    'catalog.cache': 'Catalog cache: {state}',
    'catalog.back': 'Back to the catalog',
    'catalog.noSlots': 'No times for this item yet.',
    'slot.time': '{start} – {end}',
    'slot.price': 'Price: {price}',
    'slot.available': '{available} of {capacity} available',
    'slot.loading': 'Checking availability…',
    'slot.soldOut': 'Sold out',
    'slot.quantity': 'Quantity',
    'slot.hold': 'Hold',
    'slot.soldOutDetail': 'Sold out: only {available} left.',
    'hold.title': 'Your hold',
    'hold.expiresIn': 'Held for you for {time}',
    'hold.expired': 'This hold expired and the seats were released. Please choose again.',
    'hold.released': 'Hold released.',
    'hold.status': 'Status: {status}',
    'hold.pay': 'Order and pay',
    'hold.release': 'Release hold',
    'hold.unknown': 'This hold is not known (it may belong to someone else).',
    'order.creating': 'Creating your order…',
    'order.paying': 'Paying… (order {id})',
    'order.waiting': 'Payment {status}, waiting for confirmation…',
    'order.confirmedTitle': 'Reservation confirmed',
    'order.confirmed': 'Confirmed: order {id}, {amount}.',
    'order.failed': 'The order ended as {status}: {reason}',
    'order.title': 'Order {id}',
    'order.notFound': 'Order not found.',
    'order.lines': '{quantity} × {price}',
    'order.amount': 'Total: {amount}',
    'order.created': 'Created {time}',
    'order.cancel': 'Cancel',
    'order.cancelling': 'Cancelling…',
    'order.cancelled': 'Order cancelled; the seats are released.',
    'order.view': 'Details',
    'orders.title': 'My reservations',
    'orders.empty': 'You have no reservations yet.',
    'status.pending': 'pending',
    'status.awaitingPayment': 'awaiting payment',
    'status.paid': 'paid',
    'status.confirmed': 'confirmed',
    'status.cancelled': 'cancelled',
    'status.expired': 'expired',
    'status.failed': 'failed',
    'status.active': 'active',
    'status.confirming': 'confirming',
    'status.released': 'released',
    'busy.retry': 'Busy — retrying in {seconds} s (attempt {attempt} of {max})…',
    'busy.gaveUp': 'Still busy after {max} attempts. Please try again shortly.',
    'error.generic': 'Something went wrong: {detail}',
    'error.forbidden': 'You are not allowed to do that.',
    'error.signin': 'Please sign in first.',
    'admin.title': 'Admin: resources and slots',
    'admin.only': 'Only an admin can manage the catalog.',
    'admin.newResource': 'New resource',
    'admin.kind': 'Kind',
    'admin.name': 'Name',
    'admin.description': 'Description',
    'admin.create': 'Create',
    'admin.slots': 'Slots of {name}',
    'admin.newSlot': 'New slot',
    'admin.start': 'Start',
    'admin.end': 'End',
    'admin.capacity': 'Capacity',
    'admin.price': 'Price',
    'admin.edit': 'Edit',
    'admin.save': 'Save',
    'admin.delete': 'Delete',
    'admin.saved': 'Saved (version {version}).',
    'admin.created': 'Created.',
    'admin.deleted': 'Deleted.',
    'admin.stale': 'Someone else changed this in the meantime. The latest version is loaded; please check and save again.',
    'admin.invalid': 'Please check: {fields}',
    'kind.room': 'Room', 'kind.table': 'Table', 'kind.event': 'Event', 'kind.product': 'Product',
  },
  ko: {
    'app.title': 'DaprReservations 예약',
    'skip': '본문으로 건너뛰기',
    'nav.label': '주 메뉴',
    'nav.catalog': '카탈로그',
    'nav.orders': '내 예약',
    'nav.admin': '관리',
    'lang.label': '언어',
    'signin.title': '로그인',
    'signin.button': '로그인',
    'signin.signedIn': '{name} 님으로 로그인됨',
    'signin.signOut': '로그아웃',
    'signin.needed': '좌석을 잡고 예약을 보려면 로그인하세요.',
    'signin.failed': '로그인 실패: {detail}',
    'catalog.title': '카탈로그',
    'catalog.empty': '아직 예약할 항목이 없습니다.',
    'catalog.open': '시간 보기',
    'catalog.cache': '카탈로그 캐시: {state}',
    'catalog.back': '카탈로그로 돌아가기',
    'catalog.noSlots': '이 항목에는 아직 시간이 없습니다.',
    'slot.time': '{start} – {end}',
    'slot.price': '가격: {price}',
    'slot.available': '{capacity}석 중 {available}석 남음',
    'slot.loading': '잔여석 확인 중…',
    'slot.soldOut': '매진',
    'slot.quantity': '수량',
    'slot.hold': '좌석 잡기',
    'slot.soldOutDetail': '매진: {available}석만 남았습니다.',
    'hold.title': '잡아 둔 좌석',
    'hold.expiresIn': '{time} 동안 보관됩니다',
    'hold.expired': '보관 시간이 끝나 좌석이 반환되었습니다. 다시 선택해 주세요.',
    'hold.released': '좌석을 반환했습니다.',
    'hold.status': '상태: {status}',
    'hold.pay': '주문하고 결제',
    'hold.release': '좌석 반환',
    'hold.unknown': '알 수 없는 보관입니다(다른 사용자의 것일 수 있습니다).',
    'order.creating': '주문을 만드는 중…',
    'order.paying': '결제 중… (주문 {id})',
    'order.waiting': '결제 {status}, 확정을 기다리는 중…',
    'order.confirmedTitle': '예약 확정',
    'order.confirmed': '확정되었습니다: 주문 {id}, {amount}.',
    'order.failed': '주문이 {status} 상태로 끝났습니다: {reason}',
    'order.title': '주문 {id}',
    'order.notFound': '주문을 찾을 수 없습니다.',
    'order.lines': '{quantity} × {price}',
    'order.amount': '합계: {amount}',
    'order.created': '{time} 생성',
    'order.cancel': '취소',
    'order.cancelling': '취소하는 중…',
    'order.cancelled': '주문이 취소되어 좌석이 반환되었습니다.',
    'order.view': '자세히',
    'orders.title': '내 예약',
    'orders.empty': '아직 예약이 없습니다.',
    'status.pending': '대기',
    'status.awaitingPayment': '결제 대기',
    'status.paid': '결제됨',
    'status.confirmed': '확정',
    'status.cancelled': '취소됨',
    'status.expired': '만료',
    'status.failed': '실패',
    'status.active': '보관 중',
    'status.confirming': '확정 중',
    'status.released': '반환됨',
    'busy.retry': '요청이 많습니다 — {seconds}초 후 다시 시도 ({max}회 중 {attempt}회)…',
    'busy.gaveUp': '{max}회 시도 후에도 혼잡합니다. 잠시 후 다시 시도해 주세요.',
    'error.generic': '문제가 발생했습니다: {detail}',
    'error.forbidden': '권한이 없습니다.',
    'error.signin': '먼저 로그인하세요.',
    'admin.title': '관리: 리소스와 슬롯',
    'admin.only': '관리자만 카탈로그를 관리할 수 있습니다.',
    'admin.newResource': '새 리소스',
    'admin.kind': '종류',
    'admin.name': '이름',
    'admin.description': '설명',
    'admin.create': '만들기',
    'admin.slots': '{name}의 슬롯',
    'admin.newSlot': '새 슬롯',
    'admin.start': '시작',
    'admin.end': '종료',
    'admin.capacity': '정원',
    'admin.price': '가격',
    'admin.edit': '편집',
    'admin.save': '저장',
    'admin.delete': '삭제',
    'admin.saved': '저장했습니다 (버전 {version}).',
    'admin.created': '만들었습니다.',
    'admin.deleted': '삭제했습니다.',
    'admin.stale': '그 사이 다른 사람이 변경했습니다. 최신 버전을 불러왔으니 확인 후 다시 저장하세요.',
    'admin.invalid': '확인해 주세요: {fields}',
    'kind.room': '회의실', 'kind.table': '테이블', 'kind.event': '행사', 'kind.product': '상품',
  },
};

export const languages = [{ code: 'ko', label: '한국어' }, { code: 'en', label: 'English' }];

function initial() {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored && messages[stored]) return stored;
  return (navigator.language || 'en').toLowerCase().startsWith('ko') ? 'ko' : 'en';
}

let current = initial();
const listeners = new Set();

export const lang = () => current;

export function setLang(code) {
  if (!messages[code] || code === current) return;
  current = code;
  localStorage.setItem(STORAGE_KEY, code);
  document.documentElement.lang = code;
  listeners.forEach((listener) => listener(code));
}

export const onLangChange = (listener) => listeners.add(listener);

export function t(key, params = {}) {
  const text = messages[current][key] ?? messages.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in params ? String(params[name]) : `{${name}}`));
}

const locale = () => (current === 'ko' ? 'ko-KR' : 'en-GB');

export const formatTime = (iso) =>
  new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

// Prices are plain amounts in the catalog: shown with two decimals, no currency symbol invented.
export const formatMoney = (amount) =>
  new Intl.NumberFormat(locale(), { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(Number(amount));

export const statusText = (status) => t(`status.${status}`);

document.documentElement.lang = current;
